package dev.apikeyoperator.simulator; public class SimulatorMain { public static void main(String[] a){} }
