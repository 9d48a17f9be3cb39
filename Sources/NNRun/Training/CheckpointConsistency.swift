/// Checks that a checkpoint's counters agree with each other and with the run's data, so a
/// tampered or mismatched file (epoch 999999, a step count from another run) is refused rather
/// than resumed from a position no run reaches.
enum CheckpointConsistency {
    /// Throws naming the counter that disagrees. With `batchesPerEpoch` batches an epoch, a run at
    /// (epoch, batch) has made `epoch × batchesPerEpoch + batch` steps, one optimizer step each, and
    /// its scheduler has stepped once per finished epoch (`stepsPerBatch`: once per step).
    static func check(_ checkpoint: Checkpoint, batchesPerEpoch: Int, stepsPerBatch: Bool = false) throws(TrainingError) {
        let position = checkpoint.position
        guard position.batch < batchesPerEpoch else {
            throw .checkpoint("the checkpoint stopped at batch \(position.batch), but an epoch of this data has \(batchesPerEpoch) batches")
        }
        let (epochSteps, overflow) = position.epoch.multipliedReportingOverflow(by: batchesPerEpoch)
        let (steps, sumOverflow) = epochSteps.addingReportingOverflow(position.batch)
        guard !overflow, !sumOverflow, steps == position.step else {
            throw .checkpoint("the checkpoint's position does not add up: step \(position.step) cannot be batch \(position.batch + 1) of epoch \(position.epoch + 1) with \(batchesPerEpoch) batches an epoch")
        }
        guard checkpoint.optimizerSteps == position.step else {
            throw .checkpoint("the checkpoint records \(checkpoint.optimizerSteps) optimizer steps at step \(position.step); a run makes one per step")
        }
        guard let lastEpoch = checkpoint.schedulerLastEpoch else { return }
        if stepsPerBatch, lastEpoch != position.step {
            throw .checkpoint("the checkpoint's scheduler is at step \(lastEpoch), but its run is at step \(position.step) (the scheduler steps after every optimizer step)")
        } else if !stepsPerBatch, lastEpoch != position.epoch {
            throw .checkpoint("the checkpoint's scheduler is at epoch \(lastEpoch), but its run is in epoch \(position.epoch + 1) (the scheduler steps once per finished epoch)")
        }
    }
}
