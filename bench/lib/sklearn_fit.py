"""Fit time of scikit-learn peers on tsfx's transformed taxi features.

usage: python3 sklearn_fit.py <train.csv> <eval.csv> <logistic|mlp> <epochs>
Categorical ids (integer columns) are one-hot encoded, z-scored numbers kept; the label is tips_xf.
Prints one JSON line: fit seconds, examples seen per second, eval AUC, peak RSS.
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import OneHotEncoder

train_path, eval_path, model, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
train = pd.read_csv(train_path)
evaluation = pd.read_csv(eval_path)
label = "tips_xf"
numeric = [c for c in train.columns if c != label and train[c].dtype.kind == "f"]
categorical = [c for c in train.columns if c != label and c not in numeric]
encoder = OneHotEncoder(handle_unknown="ignore")
encoder.fit(pd.concat([train[categorical], evaluation[categorical]]))


def features(frame):
    from scipy.sparse import csr_matrix, hstack

    return hstack([csr_matrix(frame[numeric].fillna(0).to_numpy()), encoder.transform(frame[categorical])]).tocsr()


x_train, y_train = features(train), train[label].to_numpy()
x_eval, y_eval = features(evaluation), evaluation[label].to_numpy()
if model == "logistic":
    estimator = LogisticRegression(max_iter=1000)
else:
    estimator = MLPClassifier(hidden_layer_sizes=(64, 32), batch_size=256, max_iter=epochs, random_state=0)
started = time.perf_counter()
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    estimator.fit(x_train, y_train)
seconds = time.perf_counter() - started
seen = len(y_train) * (estimator.n_iter_ if np.isscalar(estimator.n_iter_) else int(np.max(estimator.n_iter_)))
auc = roc_auc_score(y_eval, estimator.predict_proba(x_eval)[:, 1])
print(json.dumps({
    "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "trainSeconds": seconds,
    "examplesPerSecond": seen / seconds,
    "examples": int(seen),
    "auc": auc,
}))
