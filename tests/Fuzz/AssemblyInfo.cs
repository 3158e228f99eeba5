// The edge map is one per process: fuzz tests must not run side by side, or each would see the other's coverage.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
