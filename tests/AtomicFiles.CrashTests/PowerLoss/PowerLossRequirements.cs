namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>What the power-loss simulator needs: on a laptop without it the tests skip with the reason; CI fails on a skip.</summary>
internal static class PowerLossRequirements
{
    public const Requirement All = Requirement.Linux | Requirement.Root | Requirement.Fuse | Requirement.LoopDevices |
                                   Requirement.Xfs | Requirement.Btrfs | Requirement.QemuStorageDaemon;
}
