import FuzzSupport

runFuzzer(fuzzSpec)
