"""The Evaluator's per-slice metrics and plots computed with pandas + scikit-learn (the peer).

usage: python3 sklearn_slices.py <predictions.csv>
The CSV holds label, prediction, trip_start_hour, trip_start_day. Slices as the taxi config:
overall, trip_start_hour, trip_start_day x trip_start_hour. Per slice: the eleven metrics
(scikit-learn's functions) and the confusion matrices at 102 thresholds and a 102-bucket
calibration histogram (numpy). Prints one JSON line: read and metric seconds, slices, peak RSS,
overall AUC. Wall and CPU seconds (the machine may be shared).
"""
import json
import resource
import sys
import time
import warnings

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

THRESHOLDS = np.array([-1e-6] + [i / 100 for i in range(101)])
BUCKETS = 100


def metrics(y, p):
    predicted = p > 0.5
    both = 0 < y.sum() < len(y)
    result = {
        "example_count": len(y),
        "weighted_example_count": float(len(y)),
        "binary_accuracy": accuracy_score(y, predicted),
        "auc": roc_auc_score(y, p) if both else float("nan"),
        "auc_precision_recall": average_precision_score(y, p) if y.sum() > 0 else float("nan"),
        "precision": precision_score(y, predicted, zero_division=0),
        "recall": recall_score(y, predicted, zero_division=0),
        "mean_label": y.mean(),
        "mean_prediction": p.mean(),
        "calibration": p.sum() / y.sum() if y.sum() > 0 else float("nan"),
        "loss": log_loss(y, np.clip(p, 1e-7, 1 - 1e-7), labels=[0, 1]),
    }
    # Confusion matrices: predictions > threshold are positive (a sorted search per threshold).
    order = np.argsort(p, kind="stable")
    sorted_p, sorted_y = p[order], y[order]
    below = np.searchsorted(sorted_p, THRESHOLDS, side="right")
    positives_below = np.concatenate([[0], np.cumsum(sorted_y)])[below]
    result["confusion"] = np.stack([below - positives_below, positives_below]).tolist()
    index = np.clip(np.floor(p * BUCKETS + 1), 0, BUCKETS + 1).astype(int)
    result["calibration_plot"] = [
        np.bincount(index, minlength=BUCKETS + 2).tolist(),
        np.bincount(index, weights=y, minlength=BUCKETS + 2).tolist(),
        np.bincount(index, weights=p, minlength=BUCKETS + 2).tolist(),
    ]
    return result


started, started_cpu = time.perf_counter(), time.process_time()
frame = pd.read_csv(sys.argv[1])
read_seconds, read_cpu = time.perf_counter() - started, time.process_time() - started_cpu
started, started_cpu = time.perf_counter(), time.process_time()
slices = {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    y_all = frame["label"].to_numpy()
    p_all = frame["prediction"].to_numpy()
    slices["Overall"] = metrics(y_all, p_all)
    for keys in (["trip_start_hour"], ["trip_start_day", "trip_start_hour"]):
        for key, group in frame.dropna(subset=keys).groupby(keys if len(keys) > 1 else keys[0]):
            slices[(tuple(keys), key)] = metrics(group["label"].to_numpy(), group["prediction"].to_numpy())
metric_seconds, metric_cpu = time.perf_counter() - started, time.process_time() - started_cpu
print(
    json.dumps(
        {
            "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "readSeconds": read_seconds,
            "metricSeconds": metric_seconds,
            "readCpuSeconds": read_cpu,
            "metricCpuSeconds": metric_cpu,
            "slices": len(slices),
            "auc": slices["Overall"]["auc"],
        }
    )
)
