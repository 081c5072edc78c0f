/**
 * What the operator is tested against without a cluster or a vendor account: fabric8's mock Kubernetes API
 * ({@link dev.apikeyoperator.testkit.MockKubernetes}) and the vendor simulators
 * ({@link dev.apikeyoperator.testkit.Simulators}). Shared by the operator's integration tests, the sandbox, the
 * kill -9 test (e2e) and the benchmark. It knows the operator's resources only by their names and the CRD files.
 */
package dev.apikeyoperator.testkit;
