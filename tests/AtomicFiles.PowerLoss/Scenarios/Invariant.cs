namespace AtomicFiles.PowerLoss.Scenarios;

/// <summary>The invariants every crash state is checked against (docs/power-loss.md).</summary>
public enum Invariant
{
    /// <summary>1. The filesystem mounts.</summary>
    Mounts = 1,

    /// <summary>2. Every target is byte-identical to its complete old or complete new content.</summary>
    OldOrNew = 2,

    /// <summary>3. After a "commit returned" marker, the new content is there.</summary>
    Durable = 3,

    /// <summary>4. Once a prefix of the log shows new, no longer prefix shows old.</summary>
    Monotonic = 4,

    /// <summary>5. After Recover no temp or journal is left.</summary>
    NoLeftovers = 5,

    /// <summary>6. CreateNew: the target is absent or complete new; an existing target is never modified.</summary>
    CreateNewSafe = 6,

    /// <summary>7. A transaction's files are all of one version.</summary>
    AllOrNothing = 7,
}
