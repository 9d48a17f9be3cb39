import FuzzSupport

runFuzzer(fuzzSafetensors)
