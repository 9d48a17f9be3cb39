/// An optimizer whose momentum OneCycleLR cycles (PyTorch: a parameter group with `momentum`, or
/// with `betas`, whose first value is cycled).
public protocol CycledMomentum: Optimizer {
    /// SGD's and RMSprop's `momentum`; β1 of Adam, AdamW, NAdam and RAdam.
    var cycledMomentum: Double { get set }
}

extension SGD: CycledMomentum {
    public var cycledMomentum: Double {
        get { momentum }
        set { momentum = newValue }
    }
}

extension RMSprop: CycledMomentum {
    public var cycledMomentum: Double {
        get { momentum }
        set { momentum = newValue }
    }
}

/// Adam, NAdam and RAdam: β1 of their `moments`.
public protocol MomentEstimating: CycledMomentum {
    var moments: MomentEstimates { get set }
}

extension MomentEstimating {
    public var cycledMomentum: Double {
        get { moments.betas.0 }
        set { moments.betas.0 = newValue }
    }
}

extension Adam: MomentEstimating {}
extension NAdam: MomentEstimating {}
extension RAdam: MomentEstimating {}
