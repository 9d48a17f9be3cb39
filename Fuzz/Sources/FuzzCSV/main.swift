import FuzzSupport

runFuzzer(fuzzCSV)
