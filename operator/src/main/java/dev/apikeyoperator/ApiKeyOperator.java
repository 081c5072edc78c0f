package dev.apikeyoperator; public class ApiKeyOperator { public static void main(String[] a){} }
