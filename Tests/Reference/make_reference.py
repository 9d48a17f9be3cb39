#!/usr/bin/env python3
"""Golden reference values from PyTorch for nnspec's Swift tests (Tests/NNTests/*Golden*, *Tutorial* …).

Regenerate, from the repository root (needs only PyPI packages; the Swift tests never run Python):

    pip install torch safetensors && python3 Tests/Reference/make_reference.py [optimizers schedulers …]

It writes, next to this script:
  optimizers.safetensors  10-step trajectories of every optimizer configuration
  schedulers.safetensors  30 epochs (or steps) of get_last_lr() for every scheduler configuration (F64),
                          the metrics ReduceLROnPlateau was given, the SGD momentum OneCycleLR cycled
  clipping.safetensors    clip_grad_norm_ per case: three gradients (one parameter without), the total
                          norm, the clipped gradients
  dtypes.safetensors      one small tensor per safetensors dtype, for the reader's conversions
  layers.safetensors      per layer case: input (normal, standard deviation 2 or the case's input_scale),
                          parameters, buffers, output, a given output gradient, input and parameter
                          gradients (and buffers after the forward pass)
  losses.safetensors      per loss case and reduction: input, target, output, output gradient, input gradient
  tutorial.safetensors    the torch.nn tutorial's LeNet: weights, input, output, gradients, loss and the
                          weights after one SGD(lr=0.01) step (two copies of its 61,706 parameters: ~0.5 MB,
                          most of the ~0.7 MB total)
Each file's __metadata__["reference"] is a JSON object mapping each case name to its configuration
(type and PyTorch constructor arguments); tensor names are "<case>.<role>".
"""
import json
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

HERE = Path(__file__).resolve().parent
torch.set_default_dtype(torch.float32)


def snapshot(t):
    """A copy of `t` now: parameters and buffers change in place later."""
    return t.detach().clone().contiguous()


def save(filename, tensors, reference):
    """Writes `tensors` with `reference` (case configurations and other values) as one JSON string in
    __metadata__["reference"]: one key, so the header and the file are the same on every run.
    A tensor already in the file keeps its stored value: another PyTorch version may differ in the last
    bits, and the Swift tests were checked against the stored one (a changed case needs a new name)."""
    stored = load_file(HERE / filename) if (HERE / filename).exists() else {}
    tensors = {name: stored.get(name, snapshot(t)) for name, t in tensors.items()}
    save_file(tensors, HERE / filename, metadata={"reference": json.dumps(reference)})
    print(f"{filename}: {len(tensors)} tensors, {(HERE / filename).stat().st_size} bytes")


# ---------------------------------------------------------------- optimizers
OPTIMIZERS = {
    "sgd": {"type": "SGD", "lr": 0.1},
    "sgd_momentum": {"type": "SGD", "lr": 0.05, "momentum": 0.9},
    "sgd_nesterov": {"type": "SGD", "lr": 0.05, "momentum": 0.9, "nesterov": True},
    "sgd_dampening_weight_decay": {"type": "SGD", "lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01},
    "sgd_maximize": {"type": "SGD", "lr": 0.01, "weight_decay": 0.1, "maximize": True},
    "adam": {"type": "Adam", "lr": 0.01},
    "adam_amsgrad_weight_decay": {"type": "Adam", "lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6, "amsgrad": True, "weight_decay": 0.05},
    "adamw": {"type": "AdamW", "lr": 0.01, "weight_decay": 0.1},
    "adamw_amsgrad": {"type": "AdamW", "lr": 0.02, "amsgrad": True},
    "rmsprop": {"type": "RMSprop", "lr": 0.01},
    "rmsprop_centered_momentum": {"type": "RMSprop", "lr": 0.01, "alpha": 0.9, "momentum": 0.9, "centered": True, "weight_decay": 0.01},
    "adadelta": {"type": "Adadelta"},
    "adadelta_weight_decay_maximize": {"type": "Adadelta", "lr": 0.5, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.1, "maximize": True},
    "adagrad": {"type": "Adagrad", "lr": 0.1},
    "adagrad_decay_accumulator": {"type": "Adagrad", "lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.02,
                                  "initial_accumulator_value": 0.3, "eps": 1e-6, "maximize": True},
    "nadam": {"type": "NAdam", "lr": 0.01},
    "nadam_weight_decay_maximize": {"type": "NAdam", "lr": 0.01, "weight_decay": 0.05, "maximize": True},
    "nadam_decoupled": {"type": "NAdam", "lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.05,
                        "momentum_decay": 0.01, "decoupled_weight_decay": True},
    "radam": {"type": "RAdam", "lr": 0.01},
    "radam_weight_decay_maximize": {"type": "RAdam", "lr": 0.01, "betas": [0.8, 0.9], "weight_decay": 0.05, "maximize": True},
    "radam_decoupled": {"type": "RAdam", "lr": 0.01, "betas": [0.8, 0.9], "eps": 1e-6, "weight_decay": 0.05,
                        "decoupled_weight_decay": True},
}

OPTIMIZER_ARGUMENTS = {"lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "betas", "eps",
                       "amsgrad", "alpha", "centered", "rho", "lr_decay", "initial_accumulator_value", "momentum_decay",
                       "decoupled_weight_decay"}


def gradient_loss(p0, p1, p2):
    """A smooth loss whose gradients change along the trajectory."""
    scale = torch.linspace(0.5, 2.0, p0.numel()).view_as(p0)
    return (scale * (p0 - 0.3) ** 2).sum() + (torch.cos(p1) * torch.arange(1.0, 6.0)).sum() + 0.1 * (p2 ** 4).sum()


def make_optimizers():
    tensors, metadata = {}, {}
    for case, config in OPTIMIZERS.items():
        generator = torch.Generator().manual_seed(1)
        params = [torch.randn(shape, generator=generator).requires_grad_()
                  for shape in ([3, 4], [5], [2, 1, 2])]
        kwargs = {k: (tuple(v) if k == "betas" else v) for k, v in config.items() if k != "type"}
        optimizer = getattr(torch.optim, config["type"])(params, **kwargs)
        for i, p in enumerate(params):
            tensors[f"{case}.initial.{i}"] = snapshot(p)
        for step in range(1, 11):
            optimizer.zero_grad()
            gradient_loss(*params).backward()
            if step in (3, 7):
                params[1].grad = None  # skipped: its value and state must not change
            for i, p in enumerate(params):
                if p.grad is not None:
                    tensors[f"{case}.step{step}.grad.{i}"] = snapshot(p.grad)
            optimizer.step()
            for i, p in enumerate(params):
                tensors[f"{case}.step{step}.param.{i}"] = snapshot(p)
        for i, state in optimizer.state_dict()["state"].items():
            for buffer, value in state.items():
                tensors[f"{case}.state.{i}.{buffer}"] = snapshot(value).float() if torch.is_tensor(value) else torch.tensor(float(value))
        metadata[case] = config
    for kind in ("SGD", "Adam", "AdamW", "RMSprop", "Adadelta", "Adagrad", "NAdam", "RAdam"):  # constructor defaults, to check the Swift ones
        defaults = getattr(torch.optim, kind)([torch.zeros(1, requires_grad=True)]).defaults
        metadata[f"defaults.{kind}"] = {k: v for k, v in defaults.items() if k in OPTIMIZER_ARGUMENTS}
    save("optimizers.safetensors", tensors, metadata)


# ---------------------------------------------------------------- schedulers
SCHEDULERS = {
    "step_lr": {"type": "StepLR", "lr": 0.1, "step_size": 7, "gamma": 0.5},
    "exponential_lr": {"type": "ExponentialLR", "lr": 0.1, "gamma": 0.9},
    "cosine_annealing_lr": {"type": "CosineAnnealingLR", "lr": 0.1, "T_max": 10, "eta_min": 0.001},
    "cosine_annealing_lr_zero_min": {"type": "CosineAnnealingLR", "lr": 0.05, "T_max": 7},
    "linear_lr": {"type": "LinearLR", "lr": 0.1},
    "linear_lr_decay": {"type": "LinearLR", "lr": 0.1, "start_factor": 1.0, "end_factor": 0.1, "total_iters": 12},
    "linear_lr_zero_iters": {"type": "LinearLR", "lr": 0.1, "start_factor": 0.5, "total_iters": 0},
    "one_cycle_lr": {"type": "OneCycleLR", "lr": 0.1, "max_lr": 0.5, "total_steps": 30},
    "one_cycle_lr_linear_three_phase": {"type": "OneCycleLR", "lr": 0.1, "max_lr": 1.0, "total_steps": 31, "pct_start": 0.4,
                                        "anneal_strategy": "linear", "three_phase": True, "div_factor": 10.0,
                                        "final_div_factor": 100.0, "base_momentum": 0.7, "max_momentum": 0.9},
    "one_cycle_lr_no_momentum": {"type": "OneCycleLR", "lr": 0.1, "max_lr": 0.2, "total_steps": 40, "cycle_momentum": False},
    "plateau": {"type": "ReduceLROnPlateau", "lr": 0.1, "patience": 2},
    "plateau_abs_cooldown_min_lr": {"type": "ReduceLROnPlateau", "lr": 0.1, "factor": 0.5, "patience": 1, "threshold": 0.05,
                                    "threshold_mode": "abs", "cooldown": 2, "min_lr": 0.02},
    "plateau_max_eps": {"type": "ReduceLROnPlateau", "lr": 0.1, "mode": "max", "factor": 0.3, "patience": 0, "eps": 0.005},
    # SequentialLR: the children are built in order over the same optimizer, as a spec lists them.
    "sequential_lr_warmup_exponential": {"type": "SequentialLR", "lr": 0.1, "milestones": [5], "schedulers": [
        {"type": "LinearLR", "start_factor": 0.1, "total_iters": 5}, {"type": "ExponentialLR", "gamma": 0.9}]},
    "sequential_lr_warmup_cosine": {"type": "SequentialLR", "lr": 0.2, "milestones": [3], "schedulers": [
        {"type": "LinearLR"}, {"type": "CosineAnnealingLR", "T_max": 10, "eta_min": 0.01}]},
    "sequential_lr_three": {"type": "SequentialLR", "lr": 0.05, "milestones": [6, 12], "schedulers": [
        {"type": "StepLR", "step_size": 3, "gamma": 0.5}, {"type": "LinearLR", "start_factor": 0.5, "total_iters": 4},
        {"type": "CosineAnnealingLR", "T_max": 8, "eta_min": 0.001}]},
}

# The metric ReduceLROnPlateau is stepped with after each of the 30 epochs (written as "<case>.metric"):
# a noisy decreasing loss with plateaus.
PLATEAU_METRICS = [1.0, 0.8, 0.7, 0.7, 0.72, 0.69, 0.65, 0.65, 0.66, 0.64, 0.5, 0.5, 0.5, 0.5, 0.49, 0.45, 0.46, 0.47,
                   0.3, 0.31, 0.3, 0.3, 0.29, 0.2, 0.2, 0.2, 0.21, 0.1, 0.1, 0.1]


def make_scheduler(optimizer, config):
    """The scheduler of `config` (its nested `schedulers` built first, in order) over `optimizer`."""
    kwargs = {k: v for k, v in config.items() if k not in ("type", "lr")}
    if "schedulers" in kwargs:
        kwargs["schedulers"] = [make_scheduler(optimizer, child) for child in kwargs["schedulers"]]
    return getattr(torch.optim.lr_scheduler, config["type"])(optimizer, **kwargs)


def make_schedulers():
    tensors, metadata = {}, {}
    for case, config in SCHEDULERS.items():
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=config["lr"])
        scheduler = make_scheduler(optimizer, config)
        rates = [scheduler.get_last_lr()[0]]
        momenta = [optimizer.param_groups[0]["momentum"]]
        for metric in PLATEAU_METRICS:
            optimizer.step()
            if config["type"] == "ReduceLROnPlateau":
                scheduler.step(metric)
            else:
                scheduler.step()
            rates.append(scheduler.get_last_lr()[0])
            momenta.append(optimizer.param_groups[0]["momentum"])
        tensors[f"{case}.lr"] = torch.tensor(rates, dtype=torch.float64)
        if config["type"] == "OneCycleLR":
            tensors[f"{case}.momentum"] = torch.tensor(momenta, dtype=torch.float64)
        if config["type"] == "ReduceLROnPlateau":
            tensors[f"{case}.metric"] = torch.tensor(PLATEAU_METRICS, dtype=torch.float64)
        metadata[case] = config
    save("schedulers.safetensors", tensors, metadata)


# ---------------------------------------------------------------- gradient clipping
CLIPPING = {
    "clip_l2": {"max_norm": 1.0},
    "clip_l2_inactive": {"max_norm": 100.0},
    "clip_l1": {"max_norm": 2.0, "norm_type": 1.0},
    "clip_l3": {"max_norm": 0.5, "norm_type": 3.0},
    "clip_zero": {"max_norm": 0.0},
}


def make_clipping():
    tensors, metadata = {}, {}
    for case, config in CLIPPING.items():
        generator = torch.Generator().manual_seed(3)
        params = [torch.zeros(shape, requires_grad=True) for shape in ([3, 4], [5], [2, 1, 2], [2])]
        for i, p in enumerate(params[:3]):
            p.grad = 2 * torch.randn(p.shape, generator=generator)
            tensors[f"{case}.grad.{i}"] = snapshot(p.grad)
        total = torch.nn.utils.clip_grad_norm_(params, **config)
        tensors[f"{case}.total_norm"] = snapshot(total)
        for i, p in enumerate(params[:3]):
            tensors[f"{case}.clipped.{i}"] = snapshot(p.grad)
        metadata[case] = config
    save("clipping.safetensors", tensors, metadata)


# ---------------------------------------------------------------- dtypes
def make_dtypes():
    values = torch.tensor([[-2.0, -0.5, 0.0], [1.5, 3.0, 100.0]])
    integers = torch.tensor([[-3.0, 0.0, 7.0], [1.0, 2.0, 100.0]])
    tensors = {
        "f32": values, "f64": values.double(), "f16": values.half(), "bf16": values.bfloat16(),
        "integers": integers, "i64": integers.long(), "i32": integers.int(), "i16": integers.short(),
        "i8": integers.to(torch.int8), "u8": integers.abs().to(torch.uint8), "bool": integers != 0,
        "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 3),
    }
    # Values that round (ties to even, subnormals, overflow to infinity) when narrowed to 16 bits.
    rounding = torch.tensor([1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 65519.0, 65520.0, 1e-8,
                             3e-8, -1e-5, -0.0, 1 / 3, -1e30, 3e38, float("inf")])
    tensors.update({"rounding": rounding, "rounding_f16": rounding.half(), "rounding_bf16": rounding.bfloat16()})
    save("dtypes.safetensors", tensors, {"written_by": "make_reference.py"})


# ---------------------------------------------------------------- layers
LAYERS = {
    "linear": ({"type": "Linear", "in_features": 5, "out_features": 3}, [4, 5]),
    "linear_no_bias": ({"type": "Linear", "in_features": 5, "out_features": 3, "bias": False}, [4, 5]),
    "conv2d": ({"type": "Conv2d", "in_channels": 3, "out_channels": 4, "kernel_size": 3}, [2, 3, 7, 7]),
    "conv2d_stride_padding": ({"type": "Conv2d", "in_channels": 3, "out_channels": 4, "kernel_size": 3, "stride": 2, "padding": 1}, [2, 3, 7, 8]),
    "conv2d_dilation": ({"type": "Conv2d", "in_channels": 2, "out_channels": 3, "kernel_size": 3, "dilation": 2, "padding": 2}, [2, 2, 9, 9]),
    "conv2d_groups_no_bias": ({"type": "Conv2d", "in_channels": 4, "out_channels": 6, "kernel_size": 3, "groups": 2, "bias": False}, [2, 4, 6, 6]),
    "conv2d_rectangular": ({"type": "Conv2d", "in_channels": 2, "out_channels": 3, "kernel_size": [2, 3], "stride": [2, 1], "padding": [1, 0]}, [1, 2, 7, 6]),
    "maxpool2d": ({"type": "MaxPool2d", "kernel_size": 2}, [2, 3, 6, 6]),
    "maxpool2d_stride_padding": ({"type": "MaxPool2d", "kernel_size": 3, "stride": 2, "padding": 1}, [2, 2, 7, 8]),
    "maxpool2d_ceil_mode": ({"type": "MaxPool2d", "kernel_size": 2, "ceil_mode": True}, [1, 2, 5, 7]),
    "avgpool2d": ({"type": "AvgPool2d", "kernel_size": 2}, [2, 3, 6, 6]),
    "avgpool2d_stride_padding": ({"type": "AvgPool2d", "kernel_size": 3, "stride": 2, "padding": 1}, [2, 2, 7, 8]),
    "avgpool2d_exclude_pad": ({"type": "AvgPool2d", "kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}, [2, 2, 7, 8]),
    "avgpool2d_ceil_mode": ({"type": "AvgPool2d", "kernel_size": 2, "ceil_mode": True}, [1, 2, 5, 7]),
    "adaptive_avgpool2d": ({"type": "AdaptiveAvgPool2d", "output_size": [2, 3]}, [2, 3, 5, 7]),
    "adaptive_avgpool2d_global": ({"type": "AdaptiveAvgPool2d", "output_size": 1}, [2, 3, 4, 4]),
    "batchnorm1d_train": ({"type": "BatchNorm1d", "num_features": 4, "train": True}, [6, 4]),
    "batchnorm1d_train_3d": ({"type": "BatchNorm1d", "num_features": 3, "momentum": 0.2, "train": True}, [4, 3, 5]),
    "batchnorm1d_eval": ({"type": "BatchNorm1d", "num_features": 4, "eps": 0.001, "train": False}, [6, 4]),
    "batchnorm2d_train": ({"type": "BatchNorm2d", "num_features": 3, "train": True}, [2, 3, 4, 5]),
    "batchnorm2d_train_momentum": ({"type": "BatchNorm2d", "num_features": 3, "momentum": 0.3, "eps": 0.01, "train": True}, [3, 3, 2, 2]),
    "batchnorm2d_eval": ({"type": "BatchNorm2d", "num_features": 3, "train": False}, [2, 3, 4, 5]),
    "layernorm": ({"type": "LayerNorm", "normalized_shape": [5]}, [3, 5]),
    "layernorm_2d": ({"type": "LayerNorm", "normalized_shape": [4, 5], "eps": 0.001}, [2, 3, 4, 5]),
    "flatten": ({"type": "Flatten"}, [2, 3, 4, 5]),
    "relu": ({"type": "ReLU"}, [3, 7]),
    "leaky_relu": ({"type": "LeakyReLU"}, [3, 7]),
    "leaky_relu_slope": ({"type": "LeakyReLU", "negative_slope": 0.2}, [3, 7]),
    "elu": ({"type": "ELU"}, [3, 7]),
    "elu_alpha": ({"type": "ELU", "alpha": 0.5}, [3, 7]),
    "gelu": ({"type": "GELU"}, [3, 7]),
    "gelu_tanh": ({"type": "GELU", "approximate": "tanh"}, [3, 7]),
    "sigmoid": ({"type": "Sigmoid"}, [3, 7]),
    "tanh": ({"type": "Tanh"}, [3, 7]),
    "softmax": ({"type": "Softmax", "dim": 1}, [3, 7]),
    "softmax_last_dim": ({"type": "Softmax", "dim": -1}, [2, 3, 4]),
    "log_softmax": ({"type": "LogSoftmax", "dim": 1}, [3, 7]),
    "log_softmax_middle_dim": ({"type": "LogSoftmax", "dim": 1}, [2, 3, 4]),
    # Appended: a case's seed is 100 + its position, so the cases above keep their values.
    "relu6": ({"type": "ReLU6", "input_scale": 4}, [4, 8]),
    "silu": ({"type": "SiLU"}, [3, 7]),
    "hardswish": ({"type": "Hardswish"}, [4, 8]),
    "softplus": ({"type": "Softplus"}, [3, 7]),
    "softplus_beta_threshold": ({"type": "Softplus", "beta": 2.0, "threshold": 3.0}, [4, 8]),
    "mish": ({"type": "Mish"}, [3, 7]),
    # Issue 16's layers carry their own seed, so they keep their values wherever other cases are added.
    "conv1d": ({"type": "Conv1d", "in_channels": 3, "out_channels": 4, "kernel_size": 3, "seed": 1601}, [2, 3, 11]),
    "conv1d_stride_padding_dilation_groups": ({"type": "Conv1d", "in_channels": 4, "out_channels": 6, "kernel_size": 5, "stride": 3,
                                               "padding": 2, "dilation": 2, "groups": 2, "seed": 1602}, [2, 4, 17]),
    "conv1d_same_even_no_bias": ({"type": "Conv1d", "in_channels": 2, "out_channels": 3, "kernel_size": 4, "padding": "same",
                                  "bias": False, "seed": 1603}, [2, 2, 9]),
    "maxpool1d": ({"type": "MaxPool1d", "kernel_size": 4, "seed": 1604}, [2, 3, 13]),
    "maxpool1d_stride_padding_dilation_ceil": ({"type": "MaxPool1d", "kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2,
                                                "ceil_mode": True, "seed": 1605}, [2, 3, 12]),
    "avgpool1d": ({"type": "AvgPool1d", "kernel_size": 2, "seed": 1606}, [2, 3, 7]),
    "avgpool1d_exclude_pad_ceil": ({"type": "AvgPool1d", "kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True,
                                    "count_include_pad": False, "seed": 1607}, [2, 3, 10]),
    "adaptive_avgpool1d": ({"type": "AdaptiveAvgPool1d", "output_size": 4, "seed": 1608}, [2, 3, 10]),
    "batchnorm1d_eval_3d": ({"type": "BatchNorm1d", "num_features": 4, "train": False, "seed": 1609}, [3, 4, 6]),
    "conv_transpose2d": ({"type": "ConvTranspose2d", "in_channels": 3, "out_channels": 4, "kernel_size": 3, "seed": 1610}, [2, 3, 5, 5]),
    "conv_transpose2d_stride_padding_output_padding_groups": (
        {"type": "ConvTranspose2d", "in_channels": 4, "out_channels": 6, "kernel_size": 3, "stride": 2, "padding": 1,
         "output_padding": 1, "groups": 2, "seed": 1611}, [2, 4, 4, 5]),
    "conv_transpose2d_dilation_output_padding_no_bias": (  # output_padding 2 ≥ stride 1, < dilation 3
        {"type": "ConvTranspose2d", "in_channels": 2, "out_channels": 3, "kernel_size": [2, 3], "stride": [2, 1], "padding": [0, 1],
         "output_padding": [1, 2], "dilation": [1, 3], "bias": False, "seed": 1612}, [1, 2, 3, 4]),
    "upsample_nearest_scale": ({"type": "Upsample", "scale_factor": 2.0, "seed": 1613}, [2, 3, 3, 4]),
    "upsample_nearest_size": ({"type": "Upsample", "size": [5, 7], "seed": 1614}, [2, 2, 3, 4]),
    "upsample_nearest_fractional_scale": ({"type": "Upsample", "scale_factor": 1.5, "seed": 1615}, [1, 2, 4, 5]),
    "upsample_bilinear_scale": ({"type": "Upsample", "scale_factor": 2.0, "mode": "bilinear", "seed": 1616}, [2, 2, 3, 4]),
    "upsample_bilinear_size": ({"type": "Upsample", "size": [7, 5], "mode": "bilinear", "seed": 1617}, [1, 2, 4, 3]),
    "upsample_bilinear_align_corners_size": (
        {"type": "Upsample", "size": [5, 7], "mode": "bilinear", "align_corners": True, "seed": 1618}, [2, 2, 3, 4]),
    "upsample_bilinear_align_corners_scale": (
        {"type": "Upsample", "scale_factor": 2.5, "mode": "bilinear", "align_corners": True, "seed": 1619}, [1, 2, 3, 3]),
    "upsample_bilinear_recompute_scale": (
        {"type": "Upsample", "scale_factor": 1.7, "mode": "bilinear", "recompute_scale_factor": True, "seed": 1620}, [1, 2, 3, 4]),
    "groupnorm": ({"type": "GroupNorm", "num_groups": 2, "num_channels": 6, "seed": 1621}, [3, 6, 4, 5]),
    "groupnorm_3d_no_affine": ({"type": "GroupNorm", "num_groups": 3, "num_channels": 3, "eps": 0.001, "affine": False,
                                "seed": 1622}, [2, 3, 7]),
    "instancenorm2d": ({"type": "InstanceNorm2d", "num_features": 3, "seed": 1623}, [2, 3, 4, 5]),
    "instancenorm2d_affine_tracking_train": ({"type": "InstanceNorm2d", "num_features": 3, "affine": True,
                                              "track_running_stats": True, "momentum": 0.2, "train": True, "seed": 1624}, [3, 3, 4, 4]),
    "instancenorm2d_affine_tracking_eval": ({"type": "InstanceNorm2d", "num_features": 3, "affine": True,
                                             "track_running_stats": True, "train": False, "seed": 1625}, [2, 3, 4, 5]),
    "transpose": ({"type": "Transpose", "dim0": 1, "dim1": 2}, [2, 3, 4]),
    "transpose_negative_dims": ({"type": "Transpose", "dim0": -1, "dim1": 1}, [2, 3, 4, 5]),
    "conv2d_depthwise_stride2_padding": ({"type": "Conv2d", "in_channels": 5, "out_channels": 5, "kernel_size": 3, "stride": 2,
                                          "padding": 1, "groups": 5, "seed": 1626}, [2, 5, 9, 8]),
    "conv2d_depthwise_dilation_no_bias": ({"type": "Conv2d", "in_channels": 4, "out_channels": 4, "kernel_size": 3, "padding": 2,
                                           "dilation": 2, "groups": 4, "bias": False, "seed": 1627}, [2, 4, 7, 6]),
}


class Transpose(nn.Module):
    """nnspec's Transpose in PyTorch (which has no such module): x.transpose(dim0, dim1)."""

    def __init__(self, dim0, dim1):
        super().__init__()
        self.dim0, self.dim1 = dim0, dim1

    def forward(self, x):
        return x.transpose(self.dim0, self.dim1)


def make_layers():
    tensors, metadata = {}, {}
    for index, (case, (config, input_shape)) in enumerate(LAYERS.items()):
        torch.manual_seed(config.get("seed", 100 + index))
        kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in config.items()
                  if k not in ("type", "train", "input_scale", "seed")}
        layer = (Transpose if config["type"] == "Transpose" else getattr(nn, config["type"]))(**kwargs)
        with torch.no_grad():
            if config["type"].startswith(("BatchNorm", "LayerNorm", "GroupNorm", "InstanceNorm")):
                for p in layer.parameters():  # away from the 1/0 defaults, so they are exercised
                    p.copy_(torch.randn_like(p) * 0.5 + (1.0 if p is layer.weight else 0.0))
            if config["type"].startswith(("BatchNorm", "InstanceNorm")) and not config.get("train", True):
                layer.running_mean.copy_(torch.randn_like(layer.running_mean))
                layer.running_var.copy_(torch.rand_like(layer.running_var) + 0.5)
        layer.train(config.get("train", True))
        for name, value in list(layer.named_parameters()) + list(layer.named_buffers()):
            tensors[f"{case}.param.{name}"] = snapshot(value)  # num_batches_tracked stays int64, as PyTorch saves it
        x = (torch.randn(input_shape) * config.get("input_scale", 2)).requires_grad_()
        y = layer(x)
        grad_output = torch.randn_like(y)
        y.backward(grad_output)
        tensors.update({f"{case}.input": x, f"{case}.output": y, f"{case}.grad_output": grad_output,
                        f"{case}.grad_input": x.grad})
        for name, value in layer.named_parameters():
            tensors[f"{case}.grad.{name}"] = snapshot(value.grad)
        for name, value in layer.named_buffers():
            tensors[f"{case}.buffer_after.{name}"] = snapshot(value)
        metadata[case] = {**config, "input_shape": input_shape}
    for index, (case, (config, input_shape)) in enumerate(SEQUENCE_LAYERS.items()):
        torch.manual_seed(500 + index)  # its own seeds, so LAYERS may grow without changing these cases
        tensors.update(sequence_layer_case(case, config, input_shape))
        metadata[case] = {**config, "input_shape": input_shape}
    save("layers.safetensors", tensors, metadata)


# Sequence layers (Tests/NNTests/SequenceLayerGoldenTests.swift). Embedding ids are whole floats (its
# input gradient is not defined); a recurrent layer also records h_n, and its gradients come from
# the output sequence; attention layers run with dropout 0 (their randomness is not PyTorch's), and
# `causal` (nnspec's argument) passes PyTorch's causal mask with is_causal. LearnedPositionalEmbedding is
# nnspec's; its PyTorch equivalent is the class below, whose `weight` is nnspec's.
SEQUENCE_LAYERS = {
    "embedding": ({"type": "Embedding", "num_embeddings": 7, "embedding_dim": 4}, [3, 5]),
    "embedding_padding_scaled": ({"type": "Embedding", "num_embeddings": 6, "embedding_dim": 3, "padding_idx": 2,
                                  "scale_grad_by_freq": True}, [4, 6]),
    "rnn_tanh_batch_first": ({"type": "RNN", "input_size": 3, "hidden_size": 5, "batch_first": True}, [2, 4, 3]),
    "rnn_relu_two_layers": ({"type": "RNN", "input_size": 3, "hidden_size": 4, "num_layers": 2, "nonlinearity": "relu"}, [5, 2, 3]),
    "lstm_batch_first": ({"type": "LSTM", "input_size": 3, "hidden_size": 5, "batch_first": True}, [2, 4, 3]),
    "lstm_two_layers_bidirectional": ({"type": "LSTM", "input_size": 3, "hidden_size": 4, "num_layers": 2,
                                       "bidirectional": True}, [5, 2, 3]),
    "gru_batch_first": ({"type": "GRU", "input_size": 3, "hidden_size": 5, "batch_first": True}, [2, 4, 3]),
    "gru_bidirectional_no_bias": ({"type": "GRU", "input_size": 3, "hidden_size": 4, "num_layers": 2, "bias": False,
                                   "bidirectional": True, "batch_first": True}, [2, 5, 3]),
    "mha_batch_first": ({"type": "MultiheadAttention", "embed_dim": 8, "num_heads": 2, "batch_first": True}, [2, 5, 8]),
    "mha_causal_no_bias": ({"type": "MultiheadAttention", "embed_dim": 8, "num_heads": 4, "bias": False, "causal": True}, [5, 2, 8]),
    "encoder_layer": ({"type": "TransformerEncoderLayer", "d_model": 8, "nhead": 2, "dim_feedforward": 16, "dropout": 0.0,
                       "batch_first": True}, [2, 5, 8]),
    "encoder_layer_norm_first_gelu_causal": ({"type": "TransformerEncoderLayer", "d_model": 8, "nhead": 2, "dim_feedforward": 12,
                                              "dropout": 0.0, "activation": "gelu", "norm_first": True, "causal": True}, [5, 2, 8]),
    "decoder_layer_causal": ({"type": "TransformerDecoderLayer", "d_model": 8, "nhead": 2, "dim_feedforward": 16, "dropout": 0.0,
                              "batch_first": True, "causal": True, "memory_length": 3}, [2, 5, 8]),
    "decoder_layer_norm_first": ({"type": "TransformerDecoderLayer", "d_model": 8, "nhead": 4, "dim_feedforward": 12, "dropout": 0.0,
                                  "norm_first": True, "layer_norm_eps": 0.001, "bias": False, "memory_length": 4}, [5, 2, 8]),
    "learned_positional_embedding": ({"type": "LearnedPositionalEmbedding", "max_len": 6, "embedding_dim": 4}, [2, 5, 4]),
    # nn.TransformerEncoder of deep copies; the parameters are perturbed apart after copying.
    "encoder_stack_norm": ({"type": "TransformerEncoder", "num_layers": 2,
                            "encoder_layer": {"type": "TransformerEncoderLayer", "d_model": 8, "nhead": 2, "dim_feedforward": 12,
                                              "dropout": 0.0, "batch_first": True},
                            "norm": {"type": "LayerNorm", "normalized_shape": 8}}, [2, 5, 8]),
}


class LearnedPositionalEmbedding(nn.Embedding):
    """nnspec's LearnedPositionalEmbedding in PyTorch (which has no such module): an nn.Embedding(max_len,
    embedding_dim) whose rows 0…L−1 are added to x [N, L, embedding_dim]."""

    def __init__(self, max_len, embedding_dim):
        super().__init__(max_len, embedding_dim)

    def forward(self, x):
        return x + super().forward(torch.arange(x.shape[1]))


def run_sequence_layer(layer, config, x, tensors, case):
    """The layer's output for `x`: the tuple's first element for recurrent layers and attention (h_n
    recorded), with the causal mask and is_causal where the case says `causal`, the memory for a decoder."""
    kind, batch_first = config["type"], config.get("batch_first", False)
    length = x.shape[1] if batch_first else x.shape[0]
    mask = nn.Transformer.generate_square_subsequent_mask(length) if config.get("causal") else None
    if kind == "MultiheadAttention":
        return layer(x, x, x, attn_mask=mask, is_causal=mask is not None)[0]
    if kind == "TransformerEncoderLayer":
        return layer(x, src_mask=mask, is_causal=mask is not None)
    if kind == "TransformerDecoderLayer":
        memory_shape = list(x.shape)
        memory_shape[1 if batch_first else 0] = config["memory_length"]
        memory = torch.randn(memory_shape).requires_grad_()
        tensors[f"{case}.memory"] = memory
        return layer(x, memory, tgt_mask=mask, tgt_is_causal=mask is not None)
    if kind in ("LearnedPositionalEmbedding", "TransformerEncoder"):
        return layer(x)
    y, h_n = layer(x)
    tensors[f"{case}.h_n"] = h_n[0] if isinstance(h_n, tuple) else h_n  # LSTM's (h_n, c_n)
    return y


def sequence_layer_case(case, config, input_shape):
    """One SEQUENCE_LAYERS case: parameters, input, output, a random output gradient and the gradients."""
    kwargs = {k: v for k, v in config.items() if k not in ("type", "causal", "memory_length")}
    own = {"LearnedPositionalEmbedding": LearnedPositionalEmbedding}
    if config["type"] == "TransformerEncoder":  # its layers given as configurations, built as the spec writes them
        layer_kwargs = {k: v for k, v in config["encoder_layer"].items() if k != "type"}
        kwargs.update(encoder_layer=nn.TransformerEncoderLayer(**layer_kwargs), enable_nested_tensor=False,
                      norm=nn.LayerNorm(config["norm"]["normalized_shape"]))
    layer = own[config["type"]](**kwargs) if config["type"] in own else getattr(nn, config["type"])(**kwargs)
    if "MultiheadAttention" in config["type"] or "Transformer" in config["type"]:
        with torch.no_grad():  # away from the zero biases and unit norms, so they are exercised
            for p in layer.parameters():
                p.add_(torch.randn_like(p) * 0.2)
    tensors = {f"{case}.param.{name}": snapshot(value) for name, value in layer.named_parameters()}
    if config["type"] == "Embedding":
        ids = torch.randint(0, config["num_embeddings"], input_shape)
        if "padding_idx" in config:
            ids[0, :2] = config["padding_idx"]
        x, y = ids.float(), layer(ids)
    else:
        x = torch.randn(input_shape).requires_grad_()
        y = run_sequence_layer(layer, config, x, tensors, case)
    grad_output = torch.randn_like(y)
    y.backward(grad_output)
    tensors.update({f"{case}.input": x, f"{case}.output": y, f"{case}.grad_output": grad_output})
    if x.grad is not None:
        tensors[f"{case}.grad_input"] = x.grad
    if f"{case}.memory" in tensors:
        tensors[f"{case}.grad_memory"] = tensors[f"{case}.memory"].grad
    for name, value in layer.named_parameters():
        tensors[f"{case}.grad.{name}"] = snapshot(value.grad)
    return tensors


# ---------------------------------------------------------------- losses
LOSSES = {
    "mse": {"type": "MSELoss"},
    "l1": {"type": "L1Loss"},
    "smooth_l1": {"type": "SmoothL1Loss"},
    "smooth_l1_beta": {"type": "SmoothL1Loss", "beta": 0.5},
    "cross_entropy": {"type": "CrossEntropyLoss"},
    "cross_entropy_label_smoothing": {"type": "CrossEntropyLoss", "label_smoothing": 0.1},
    "nll": {"type": "NLLLoss"},
    "bce": {"type": "BCELoss"},
    "bce_with_logits": {"type": "BCEWithLogitsLoss"},
    # Per-position classes: input [N, C, d1, …], target [N, d1, …] (a sequence's next tokens), with
    # PyTorch's ignore_index, weight and label_smoothing semantics for the K-dimensional case.
    "cross_entropy_positions": {"type": "CrossEntropyLoss", "positions": [5], "weight": [0.5, 2.0, 1.0, 1.5],
                                "ignore_index": -100},
    "cross_entropy_positions_smoothing": {"type": "CrossEntropyLoss", "positions": [3, 2], "weight": [1.0, 0.25, 2.0, 1.0],
                                          "ignore_index": 2, "label_smoothing": 0.2},
    "nll_positions": {"type": "NLLLoss", "positions": [5], "weight": [1.0, 3.0, 0.5, 1.0], "ignore_index": 0},
}


def loss_inputs(kind, positions=None, ignore_index=-100):
    """(input, target) for a loss: logits and class indices (per position: [2, 4, d…] and [2, d…],
    the first positions of sample 0 ignored), probabilities, or two real tensors."""
    if kind in ("CrossEntropyLoss", "NLLLoss") and positions:
        logits = torch.randn(2, 4, *positions)
        x = torch.log_softmax(logits, dim=1) if kind == "NLLLoss" else logits
        target = torch.randint(0, 4, (2, *positions))
        target.view(2, -1)[0, :2] = ignore_index
        return x, target
    if kind in ("CrossEntropyLoss", "NLLLoss"):
        logits = torch.randn(5, 4)
        x = torch.log_softmax(logits, dim=1) if kind == "NLLLoss" else logits
        return x, torch.tensor([0, 3, 1, 3, 2])
    if kind == "BCELoss":
        return torch.sigmoid(torch.randn(4, 3)), torch.rand(4, 3)
    if kind == "BCEWithLogitsLoss":
        return torch.randn(4, 3) * 2, torch.rand(4, 3)
    return torch.randn(4, 3), torch.randn(4, 3)


def make_losses():
    tensors, metadata = {}, {}
    for index, (name, config) in enumerate(LOSSES.items()):
        for reduction in ("mean", "sum", "none"):
            case = f"{name}.{reduction}"
            torch.manual_seed(200 + index)
            x, target = loss_inputs(config["type"], config.get("positions"), config.get("ignore_index", -100))
            x.requires_grad_()
            kwargs = {k: torch.tensor(v) if k == "weight" else v for k, v in config.items() if k not in ("type", "positions")}
            loss = getattr(nn, config["type"])(reduction=reduction, **kwargs)(x, target)
            grad_output = torch.randn_like(loss)
            loss.backward(grad_output)
            tensors.update({f"{case}.input": x, f"{case}.target": target, f"{case}.output": loss,
                            f"{case}.grad_output": grad_output, f"{case}.grad_input": x.grad})
            metadata[case] = {**config, "reduction": reduction}
    save("losses.safetensors", tensors, metadata)


# ---------------------------------------------------------------- tutorial
class Net(nn.Module):
    """The LeNet of https://pytorch.org/tutorials/beginner/blitz/neural_networks_tutorial.html"""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        c1 = F.relu(self.conv1(input))
        s2 = F.max_pool2d(c1, (2, 2))
        c3 = F.relu(self.conv2(s2))
        s4 = F.max_pool2d(c3, 2)
        s4 = torch.flatten(s4, 1)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        return self.fc3(f6)


def make_tutorial():
    torch.manual_seed(0)
    net = Net()
    tensors = {f"weights.{name}": snapshot(p) for name, p in net.named_parameters()}
    named_parameters = [[name, list(p.shape)] for name, p in net.named_parameters()]

    input = torch.randn(1, 1, 32, 32)
    out = net(input)
    net.zero_grad()
    grad_output = torch.randn(1, 10)
    out.backward(grad_output)
    tensors.update({"input": input, "output": out, "grad_output": grad_output,
                    "out_backward.conv1.bias.grad": snapshot(net.conv1.bias.grad),
                    "out_backward.conv1.weight.grad": snapshot(net.conv1.weight.grad),
                    "out_backward.fc3.bias.grad": snapshot(net.fc3.bias.grad)})

    output = net(input)
    target = torch.randn(10).view(1, -1)
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    net.zero_grad()
    conv1_bias_grad_before = net.conv1.bias.grad
    loss.backward()
    tensors.update({"target": target, "loss": loss, "mse_backward.conv1.bias.grad": snapshot(net.conv1.bias.grad)})

    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    optimizer.zero_grad()
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()
    tensors.update({f"after_step.{name}": snapshot(p) for name, p in net.named_parameters()})
    save("tutorial.safetensors", tensors, {
        "named_parameters": named_parameters,
        "conv1_bias_grad_before_backward": None if conv1_bias_grad_before is None else conv1_bias_grad_before.tolist(),
        "net": str(net),
    })


MAKERS = {"optimizers": make_optimizers, "schedulers": make_schedulers, "clipping": make_clipping, "dtypes": make_dtypes,
          "layers": make_layers, "losses": make_losses, "tutorial": make_tutorial}

if __name__ == "__main__":
    # Arguments name the files to write (`python3 make_reference.py optimizers`); none: all of them.
    import sys
    for name in sys.argv[1:] or MAKERS:
        MAKERS[name]()
