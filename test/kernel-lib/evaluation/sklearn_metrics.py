"""Expected per-slice metrics and plots from pandas + scikit-learn, for the Evaluator's tests.

usage: python3 sklearn_metrics.py <examples.csv> <specs.json> [<weight column>]
The CSV holds `label`, `prediction` (and the weight column) and the slicing features; specs.json is
a list of TFMA SlicingSpecs ({"featureKeys": [...], "featureValues": {...}}). Prints one JSON
object: TFMA slice name -> {metric name -> value, "confusion": [[t, tp, fp, tn, fn, precision,
recall], ...], "calibration_plot": [[n, label sum, prediction sum], ...]}.
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    log_loss,
    precision_score,
    recall_score,
    roc_auc_score,
)

path, specs_path = sys.argv[1], sys.argv[2]
weight_column = sys.argv[3] if len(sys.argv) > 3 else None
frame = pd.read_csv(path)
specs = json.load(open(specs_path))
THRESHOLDS = [-1e-6] + [i / 100 for i in range(101)]
BUCKETS = 100


def metrics(group):
    y = group["label"].to_numpy()
    p = group["prediction"].to_numpy(dtype=np.float64)
    w = group[weight_column].to_numpy(dtype=np.float64) if weight_column else None
    keep = w > 0 if w is not None else np.ones(len(y), dtype=bool)
    y, p = y[keep], p[keep]
    w = w[keep] if w is not None else None
    predicted = (p > 0.5).astype(int)
    both = len(set(y)) == 2
    weights = w if w is not None else np.ones(len(y))
    result = {
        "example_count": float(len(y)),
        "weighted_example_count": float(weights.sum()),
        "binary_accuracy": accuracy_score(y, predicted, sample_weight=w),
        "auc": roc_auc_score(y, p, sample_weight=w) if both else None,
        "auc_precision_recall": average_precision_score(y, p, sample_weight=w) if y.sum() > 0 else None,
        "precision": precision_score(y, predicted, sample_weight=w, zero_division=0),
        "recall": recall_score(y, predicted, sample_weight=w, zero_division=0),
        "mean_label": float(np.average(y, weights=weights)),
        "mean_prediction": float(np.average(p, weights=weights)),
        "calibration": float((p * weights).sum() / (y * weights).sum()) if y.sum() > 0 else None,
        # Keras clips probabilities to [1e-7, 1 - 1e-7]; scikit-learn's own clip is smaller.
        "loss": log_loss(y, np.clip(p, 1e-7, 1 - 1e-7), sample_weight=w, labels=[0, 1]),
    }
    confusion = []
    for t in THRESHOLDS:
        positive = p > t
        tp = float(weights[positive & (y == 1)].sum())
        fp = float(weights[positive & (y == 0)].sum())
        tn = float(weights[~positive & (y == 0)].sum())
        fn = float(weights[~positive & (y == 1)].sum())
        precision = tp / (tp + fp) if tp + fp > 0 else 1.0
        recall = tp / (tp + fn) if tp + fn > 0 else 0.0
        confusion.append([round(t, 6), tp, fp, tn, fn, precision, recall])
    result["confusion"] = confusion
    index = np.clip(np.floor(p * BUCKETS + 1), 0, BUCKETS + 1).astype(int)
    calibration = []
    for b in range(BUCKETS + 2):
        at = index == b
        calibration.append([float(weights[at].sum()), float((weights * y)[at].sum()), float((weights * p)[at].sum())])
    result["calibration_plot"] = calibration
    return result


def value_text(v):
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


out = {}
for spec in specs:
    keys = list(spec.get("featureKeys", []))
    values = spec.get("featureValues", {})
    selected = frame
    for column, wanted in values.items():
        column_values = selected[column]
        if column_values.dtype.kind in "if":
            selected = selected[column_values == float(wanted)]
        else:
            selected = selected[column_values == wanted]
    columns = sorted(keys + list(values))
    if not keys:
        if len(selected) == 0:
            continue
        groups = [((), selected)]
    else:
        groups = list(selected.dropna(subset=keys).groupby(keys if len(keys) > 1 else keys[0]))
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        assigned = dict(zip(keys, key))
        assigned.update(values)
        if not columns:
            name = "Overall"
        else:
            name = "_X_".join(columns) + ":" + "_X_".join(value_text(assigned[c]) for c in columns)
        out[name] = metrics(group)
print(json.dumps(out))
