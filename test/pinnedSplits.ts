/**
 * Rows and the split the documented rule (kernel-lib/src/csv/rowBucket.ts, README) gives each,
 * computed once by Python and checked in, so that any change of hash, row text or bucketing
 * fails here. The Python:
 *
 *   def fnv1a32(data):
 *       h = 0x811c9dc5
 *       for b in data: h = ((h ^ b) * 0x01000193) & 0xffffffff
 *       return h
 *   def split_of(values, hash_buckets):  # values as csv.reader reads them
 *       b = (fnv1a32(b'\x00'.join(v.encode() for v in values)) * sum(hash_buckets)) >> 32
 *       return next(i for i in range(len(hash_buckets)) if b < sum(hash_buckets[:i + 1]))
 */
export const PINNED_CSV = `id,name,amount,note
1,apple,1.5,
2,banana,,"with, comma"
3,"quoted",7,"say ""hi"""
4,Ünïcödé ☃,-2,😀
5,,,
6,"multi
line",0,x
7,cherry,1_000,
8,date,inf,y
9,"",3,""
10,elderberry,2.25,z
11,fig,9223372036854775807,
12,grape,-0,a b
13,honeydew,4,"c,d"
14,kiwi,5,"""q"""
15,lemon,6,e
16,mango,7.5,f
17,nectarine,8,g
18,orange,9,h
19,papaya,10,i
20,quince,11,j
21,raspberry,12,k
22,strawberry,13,l
23,tangerine,14,m
24,ugli,15,n
`;
export const PINNED_SPLITS: [{ name: string; hashBuckets: number }[], number[]][] = [
  [
    [
      { name: 'train', hashBuckets: 2 },
      { name: 'eval', hashBuckets: 1 },
    ],
    [1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1],
  ],
  [
    [
      { name: 'a', hashBuckets: 8 },
      { name: 'b', hashBuckets: 1 },
      { name: 'c', hashBuckets: 1 },
    ],
    [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0],
  ],
];
