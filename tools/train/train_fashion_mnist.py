#!/usr/bin/python3
"""Train the nnzip reference classifiers on Fashion-MNIST and export them to ONNX.

Run from the repository root with Debian's Python (it ships torch and onnx):

    /usr/bin/python3 tools/train/train_fashion_mnist.py            # all four models
    /usr/bin/python3 tools/train/train_fashion_mnist.py vgg lenet5 # a subset

Data: Debian's dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist), read directly from the
IDX files; nothing is downloaded. Every model is trained with a fixed seed on the 60,000 training images,
evaluated on all 10,000 test images and exported to ONNX opset 13 as models/<name>.onnx with

    input  "input"  float32 [N,1,28,28], pixel / 255 (the normalisation is part of the graph)
    output "logits" float32 [N,10]

models/models.json records, per model, the file, its SHA-256, sizes, test accuracy and training settings.

BatchNormalization is exported unfolded: the model is put in eval mode and exported with
TrainingMode.PRESERVE, which skips torch's eval-mode peephole pass (the pass that fuses Conv+BN). The
weights therefore stay as they were trained, which is what a weight compressor should see.
"""

import argparse
import gzip
import hashlib
import json
import math
import os
import struct
import sys
import time
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = "/usr/share/datasets/fashion-mnist"
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(REPO_ROOT, "models")
OPSET = 13

# Mean and standard deviation of the Fashion-MNIST training pixels (scaled to [0,1]); the script recomputes
# them from the data and uses the recomputed values, these constants only document what to expect.
EXPECTED_MEAN, EXPECTED_STD = 0.2860, 0.3530


# --------------------------------------------------------------------------------------------------- data

def read_idx(path, magic, dims):
    """Read a (gzipped) IDX file: big-endian magic, `len(dims)` big-endian uint32 sizes, then uint8 data."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    header_len = 4 + 4 * len(dims)
    if len(raw) < header_len:
        raise ValueError(f"{path}: {len(raw)} bytes, too short for an IDX header of {header_len} bytes")
    found_magic = struct.unpack(">I", raw[:4])[0]
    if found_magic != magic:
        raise ValueError(f"{path}: magic 0x{found_magic:08x}, expected 0x{magic:08x}")
    sizes = struct.unpack(">" + "I" * len(dims), raw[4:header_len])
    for i, (got, want) in enumerate(zip(sizes, dims)):
        if want is not None and got != want:
            raise ValueError(f"{path}: dimension {i} is {got}, expected {want}")
    count = int(np.prod(sizes))
    if len(raw) - header_len != count:
        raise ValueError(f"{path}: {len(raw) - header_len} data bytes, expected {count}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(sizes)


def load_split(prefix, count):
    images = read_idx(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"), 0x803, (count, 28, 28))
    labels = read_idx(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"), 0x801, (count,))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)  # [N,1,28,28], pixel/255
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def augment(x, gen, crop, pad=2):
    """Random horizontal flip and, if `crop`, a random 28x28 crop after zero padding by `pad`; one draw per image."""
    n = x.shape[0]
    flip = torch.rand(n, generator=gen) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    if not crop:
        return x
    padded = F.pad(x, (pad, pad, pad, pad))
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    base = torch.arange(28)
    rows = (base[None, :] + dy[:, None])[:, :, None]  # [n,28,1]
    cols = (base[None, :] + dx[:, None])[:, None, :]  # [n,1,28]
    return padded[torch.arange(n)[:, None, None], 0, rows, cols].unsqueeze(1)


# ------------------------------------------------------------------------------------------------- models

class Normalize(nn.Module):
    """(x - mean) / std as the first graph operation, so callers feed plain pixel/255 values."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor([[[[mean]]]], dtype=torch.float32))
        self.register_buffer("std", torch.tensor([[[[std]]]], dtype=torch.float32))

    def forward(self, x):
        return (x - self.mean) / self.std


class LeNet300(nn.Module):
    """LeNet-300-100 (LeCun et al. 1998): a 784-300-100-10 multilayer perceptron."""

    def __init__(self):
        super().__init__()
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10))

    def forward(self, x):
        return self.classifier(x)


class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max pooling: conv 6@5x5 (pad 2), pool, conv 16@5x5, pool, 400-120-84-10."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class Vgg(nn.Module):
    """VGG-style CNN (Simonyan & Zisserman 2015) with BatchNorm: 3x3 conv blocks [32,32,M,64,64,M,128,128,M]
    (28 -> 14 -> 7 -> 3), then a dropout classifier 1152-768-256-10. Most parameters sit in the first fully
    connected layer, as in the VGG/AlexNet models that DeepSZ and Smart-DNN compress."""

    CONFIG = [32, 32, "M", 64, 64, "M", 128, 128, "M"]

    def __init__(self):
        super().__init__()
        layers, channels = [], 1
        for v in self.CONFIG:
            if v == "M":
                layers.append(nn.MaxPool2d(2))
            else:
                layers += [nn.Conv2d(channels, v, 3, padding=1, bias=False), nn.BatchNorm2d(v), nn.ReLU()]
                channels = v
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.3), nn.Linear(128 * 3 * 3, 768), nn.ReLU(),
            nn.Dropout(0.3), nn.Linear(768, 256), nn.ReLU(),
            nn.Linear(256, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class InvertedResidual(nn.Module):
    """MobileNetV2 block (Sandler et al. 2018): 1x1 expansion, depthwise 3x3, linear 1x1 projection;
    identity shortcut when stride is 1 and the channel count is unchanged."""

    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        layers = []
        if expand != 1:
            layers += [nn.Conv2d(cin, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6()]
        layers += [nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False), nn.BatchNorm2d(hidden),
                   nn.ReLU6(),
                   nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.block(x) if self.residual else self.block(x)


def make_divisible(v, divisor=8):
    """Round a scaled channel count to a multiple of 8, never below 90 % of it (the MobileNetV2 reference code)."""
    rounded = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * v else rounded


class MobileNetV2(nn.Module):
    """MobileNetV2 (Sandler et al. 2018) adapted to 28x28 inputs. The stride-2 stem is kept (28 -> 14) and the
    paper's (t, c, n, s) table is cut after the 96-channel stage with one more stride 2 (14 -> 7), so the last
    feature map is 7x7, as for 224x224 ImageNet inputs. Then a 1x1 conv, global average pooling, dropout and
    a linear classifier. `width` scales every channel count (the paper's width multiplier)."""

    # (expansion t, output channels c, repeats n, first stride s), after Table 2 of the paper
    STAGES = [(1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 3, 1), (6, 96, 2, 1)]

    def __init__(self, width=0.5, last=512):
        super().__init__()
        stem = make_divisible(32 * width)
        layers = [nn.Conv2d(1, stem, 3, 2, 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU6()]
        channels = stem
        for t, c, n, s in self.STAGES:
            out = make_divisible(c * width)
            for i in range(n):
                layers.append(InvertedResidual(channels, out, s if i == 0 else 1, t))
                channels = out
        layers += [nn.Conv2d(channels, last, 1, bias=False), nn.BatchNorm2d(last), nn.ReLU6()]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last, 10))

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)  # exports as GlobalAveragePool
        return self.classifier(x)


# Training recipes. OneCycle (Smith & Topin 2019) reaches good accuracy in few epochs, which keeps the
# whole script within a CPU budget of minutes.
RECIPES = {
    "lenet300": dict(build=LeNet300, epochs=8, batch=128, optimizer="adam", lr=2e-3, weight_decay=0.0,
                     augment="none"),
    "lenet5": dict(build=LeNet5, epochs=8, batch=128, optimizer="adam", lr=3e-3, weight_decay=0.0,
                   augment="none"),
    "vgg": dict(build=Vgg, epochs=4, batch=128, optimizer="sgd", lr=0.1, weight_decay=5e-4, augment="flip"),
    "mobilenetv2": dict(build=MobileNetV2, epochs=5, batch=128, optimizer="sgd", lr=0.1, weight_decay=4e-5,
                        augment="flip"),
}


# ------------------------------------------------------------------------------------------- train / test

def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct


def train(name, recipe, data, seed, log):
    x_train, y_train, x_test, y_test, mean, std = data
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = nn.Sequential()
    model.add_module("normalize", Normalize(mean, std))
    model.add_module("net", recipe["build"]())
    params = [p for p in model.parameters() if p.requires_grad]
    if recipe["optimizer"] == "adam":
        opt = torch.optim.Adam(params, lr=recipe["lr"], weight_decay=recipe["weight_decay"])
    else:
        opt = torch.optim.SGD(params, lr=recipe["lr"], momentum=0.9, nesterov=True,
                              weight_decay=recipe["weight_decay"])
    steps_per_epoch = math.ceil(len(x_train) / recipe["batch"])
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=recipe["lr"], epochs=recipe["epochs"],
                                                steps_per_epoch=steps_per_epoch)
    start = time.time()
    for epoch in range(recipe["epochs"]):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        loss_sum, seen = 0.0, 0
        for step in range(steps_per_epoch):
            idx = order[step * recipe["batch"]:(step + 1) * recipe["batch"]]
            xb, yb = x_train[idx], y_train[idx]
            if recipe["augment"] != "none":
                xb = augment(xb, gen, crop=recipe["augment"] == "flip+crop")
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            seen += len(idx)
            if step % 100 == 0:
                log(f"  {name} epoch {epoch + 1}/{recipe['epochs']} step {step}/{steps_per_epoch} "
                    f"loss {loss_sum / seen:.4f} ({time.time() - start:.0f}s)")
        acc = evaluate(model, x_test, y_test) / len(x_test)
        log(f"{name} epoch {epoch + 1}/{recipe['epochs']}: train loss {loss_sum / seen:.4f}, "
            f"test accuracy {acc:.4f} ({time.time() - start:.0f}s)")
    return model, time.time() - start


def export(model, path):
    model.eval()
    dummy = torch.zeros(2, 1, 28, 28)
    # PRESERVE with the model in eval mode exports inference behaviour (Dropout dropped, BN with running
    # statistics) but skips the eval peephole pass that would fold BatchNormalization into Conv.
    # torch warns that constant folding may alter parameters in a training-amenable export; that concerns a model
    # in training mode. Ours is in eval mode and nothing trainable is folded (checked against the torch accuracy
    # by the ORT oracle test in nnzip-core).
    warnings.filterwarnings("ignore", message="It is recommended that constant folding be turned off")
    torch.onnx.export(model, dummy, path, opset_version=OPSET, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    ops = sorted({n.op_type for n in proto.graph.node})
    bn_modules = sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())
    bn_nodes = sum(n.op_type == "BatchNormalization" for n in proto.graph.node)
    if bn_nodes != bn_modules:
        raise RuntimeError(f"{path}: {bn_modules} BatchNorm2d modules exported as {bn_nodes} BatchNormalization "
                           "nodes; the export was expected to keep them unfolded")
    weights = sum(int(np.prod(t.dims)) for t in proto.graph.initializer)
    return proto, ops, weights


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=list(RECIPES), help=f"subset of {list(RECIPES)}")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=None, help="override every recipe's epoch count")
    args = parser.parse_args()
    unknown = [m for m in args.models if m not in RECIPES]
    if unknown:
        parser.error(f"unknown model(s) {unknown}, expected some of {list(RECIPES)}")

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    np.random.seed(args.seed)

    def log(msg):
        print(msg, flush=True)

    x_train, y_train = load_split("train", 60000)
    x_test, y_test = load_split("t10k", 10000)
    mean, std = x_train.mean().item(), x_train.std().item()
    log(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}, pixel mean {mean:.4f} std {std:.4f} "
        f"(expected about {EXPECTED_MEAN} / {EXPECTED_STD})")
    data = (x_train, y_train, x_test, y_test, mean, std)

    os.makedirs(OUT_DIR, exist_ok=True)
    manifest_path = os.path.join(OUT_DIR, "models.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    manifest.setdefault("models", {})

    for name in args.models:
        recipe = dict(RECIPES[name])
        if args.epochs is not None:
            recipe["epochs"] = args.epochs
        log(f"=== {name}: {recipe['build'].__name__}, {recipe['epochs']} epochs")
        model, seconds = train(name, recipe, data, args.seed, log)
        correct = evaluate(model, x_test, y_test)
        path = os.path.join(OUT_DIR, f"{name}.onnx")
        _, ops, onnx_weights = export(model, path)
        params = sum(p.numel() for p in model.parameters())
        entry = {
            "file": f"{name}.onnx",
            "sha256": sha256(path),
            "onnx_bytes": os.path.getsize(path),
            "parameters": params,
            "onnx_weight_values": onnx_weights,
            "opset": OPSET,
            "operators": ops,
            "batchnorm_folded": False,
            "input": {"name": "input", "shape": ["N", 1, 28, 28], "dtype": "float32", "scaling": "pixel/255"},
            "output": {"name": "logits", "shape": ["N", 10], "dtype": "float32"},
            "normalization_in_graph": {"mean": round(mean, 6), "std": round(std, 6)},
            "test_accuracy": correct / len(x_test),
            "test_correct": correct,
            "test_total": len(x_test),
            "training": {
                "architecture": recipe["build"].__name__,
                "epochs": recipe["epochs"],
                "batch_size": recipe["batch"],
                "optimizer": recipe["optimizer"] + (" (momentum 0.9, nesterov)" if recipe["optimizer"] == "sgd"
                                                    else ""),
                "max_lr": recipe["lr"],
                "schedule": "OneCycleLR",
                "weight_decay": recipe["weight_decay"],
                "augmentation": recipe["augment"],
                "seed": args.seed,
                "threads": args.threads,
                "seconds": round(seconds, 1),
                "torch": torch.__version__,
                "onnx": onnx.__version__,
            },
        }
        manifest["models"][name] = entry
        log(f"{name}: {params} parameters, {entry['onnx_bytes']} bytes, test accuracy {correct}/{len(x_test)} "
            f"= {entry['test_accuracy']:.4f}, ops {ops}, {seconds:.0f}s")
        manifest["dataset"] = {"name": "Fashion-MNIST", "source": "Debian package dataset-fashion-mnist",
                               "train": 60000, "test": 10000}
        manifest["models"] = dict(sorted(manifest["models"].items()))
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        with open(path + ".sha256", "w") as f:
            f.write(f"{entry['sha256']}  {name}.onnx\n")


if __name__ == "__main__":
    sys.exit(main())
