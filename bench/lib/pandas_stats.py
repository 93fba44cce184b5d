# The pandas peer of the statistics benchmark: read the CSV, describe every column, numeric
# quantiles (10-quantiles and median), value counts of the object columns. Prints one JSON line.
import json
import resource
import sys

import pandas as pd

frame = pd.read_csv(sys.argv[1])
frame.describe(include='all')
numeric = frame.select_dtypes('number')
numeric.quantile([i / 10 for i in range(11)])
numeric.median()
for name in frame.select_dtypes('object').columns:
    frame[name].value_counts()
print(json.dumps({'maxRssKb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  'note': f'{len(frame)} rows, {frame.shape[1]} columns'}))
