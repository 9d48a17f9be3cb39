import FuzzSupport

runFuzzer(fuzzCheckpoint)
