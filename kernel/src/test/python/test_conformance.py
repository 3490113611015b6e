"""The Jupyter kernel conformance suite (Debian's python3-jupyter-kernel-test) against jgen."""
import unittest

import jupyter_kernel_test


class JgenKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "jgen"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("something went wrong");'

    completion_samples = [
        {"text": "Datasets.fashionMnis", "matches": {"fashionMnist(", "fashionMnistTest()"}},
        {"text": "Gen.va", "matches": {"vae()"}},
        {"text": 'String s = "a"; s.toUpperCa', "matches": {"toUpperCase("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "System.out.println(1);", "Gen.seed(42);"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "Gen.vae()\n    .latent(", "int[] a = {1, 2"]
    invalid_code_samples = ["int x = ;", ")"]

    code_generate_error = 'throw new IllegalStateException("deliberate");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "Math.max(3, 9)", "result": "9"},
        {"code": "Datasets.moons(100)", "mime": "image/png"},
    ]

    code_display_data = [
        {"code": "display(Datasets.moons(100));", "mime": "image/png"},
        {"code": "display(Datasets.fashionMnistTest().take(8).shape());", "mime": "text/plain"},
    ]

    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Datasets.moons"


if __name__ == "__main__":
    unittest.main()
