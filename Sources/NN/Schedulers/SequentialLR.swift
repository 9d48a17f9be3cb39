/// Runs `schedulers` one after another, switching at the `milestones` epochs
/// (`torch.optim.lr_scheduler.SequentialLR`; a warm-up then a decay). Each child is built over the
/// same optimizer while its rate is the initial one (PyTorch's `initial_lr`, every child's base
/// rate). Creating this sets the rate back to that initial rate and makes the first child's initial
/// step (LinearLR: base·start_factor). Epoch e is stepped by the child i with milestones[i−1] ≤ e <
/// milestones[i]: at its milestone the child restarts from epoch 0 in closed form (PyTorch's
/// `_update_lr(0)`: the base rate, or base·start_factor for LinearLR), not from the rate the previous
/// child left; after that it steps recursively from the current rate, as on its own.
///
/// `milestones` are strictly increasing epochs ≥ 1, one fewer than the schedulers; the children step
/// once per epoch (no ReduceLROnPlateau, OneCycleLR or SequentialLR inside).
public final class SequentialLR: LRScheduler {
    public let optimizer: any Optimizer
    public let schedulers: [any LRScheduler]
    public let milestones: [Int]
    /// The rate when the children were built (`initial_lr`), their common base rate.
    public let baseLearningRate: Double
    /// Epochs stepped so far; setting it (a checkpoint's) puts every child at the epoch PyTorch's
    /// `load_state_dict` restores: its steps since its milestone, −1 before it.
    public var lastEpoch = 0 {
        didSet { for (index, child) in schedulers.enumerated() { child.lastEpoch = childEpoch(index) } }
    }

    /// `schedulers` were built in order over `optimizer`, each while its rate was
    /// `initialLearningRate` (every PyTorch child reads `initial_lr` as its base); the rate is set
    /// back to it, then to the first child's starting rate.
    public init(_ optimizer: any Optimizer, schedulers: [any LRScheduler], milestones: [Int],
                initialLearningRate: Double) throws(OptimizerError) {
        try require(!schedulers.isEmpty, "SequentialLR expects at least one scheduler, but got no scheduler.")
        try require(milestones.count == schedulers.count - 1,
                    "SequentialLR expects one milestone fewer than schedulers, but got \(schedulers.count) schedulers and \(milestones.count) milestones")
        try require((milestones.first ?? 1) >= 1 && zip(milestones, milestones.dropFirst()).allSatisfy { $0 < $1 },
                    "SequentialLR milestones must be strictly increasing epochs of at least 1, got \(milestones)")
        try require(schedulers.allSatisfy { !$0.stepsPerBatch && !($0 is ReduceLROnPlateau) && !($0 is SequentialLR) },
                    "SequentialLR runs schedulers stepped once per epoch without a metric")
        self.optimizer = optimizer
        self.schedulers = schedulers
        self.milestones = milestones
        self.baseLearningRate = initialLearningRate
        for (index, child) in schedulers.enumerated() { child.lastEpoch = childEpoch(index) }
        optimizer.learningRate = schedulers[0].startingRate(from: initialLearningRate)
    }

    /// The child stepping epoch `epoch`: the number of milestones at or before it (`bisect_right`).
    private func activeIndex(atEpoch epoch: Int) -> Int {
        milestones.firstIndex { $0 > epoch } ?? milestones.count
    }

    /// Child `index`'s `last_epoch` once this scheduler has stepped `lastEpoch` epochs.
    private func childEpoch(_ index: Int) -> Int {
        let start = index == 0 ? 0 : milestones[index - 1]
        guard lastEpoch >= start else { return -1 }
        let end = index < milestones.count ? milestones[index] - 1 : lastEpoch
        return min(lastEpoch, end) - start
    }

    /// The rate of the child stepping `epoch`, at its own epoch (its milestone is its epoch 0).
    public func learningRate(atEpoch epoch: Int, current: Double) -> Double {
        let index = activeIndex(atEpoch: epoch)
        let child = schedulers[index]
        if index > 0 && milestones[index - 1] == epoch { return child.startingRate(from: baseLearningRate) }
        return child.learningRate(atEpoch: epoch - (index == 0 ? 0 : milestones[index - 1]), current: current)
    }
}
