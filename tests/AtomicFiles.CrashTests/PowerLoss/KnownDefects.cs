using System.Text.RegularExpressions;
using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// The one open library defect the power-loss suite knows of (docs/power-loss.md, "Litter"): on btrfs, after some
/// cuts, <c>Recover(root)</c> leaves a transaction's staged temp in a subdirectory of its root. The tests that meet it
/// print it and fail on every other violation, and on this one on any other filesystem; remove this class once the
/// library sweeps such temps.
/// </summary>
internal static partial class KnownDefects
{
    public static bool IsBtrfsTempUnderRoot(FileSystemKind fs, Violation violation) =>
        fs == FileSystemKind.Btrfs && violation.Invariant == Invariant.NoLeftovers && TempInRootSubdirectory().IsMatch(violation.Message);

    /// <summary>"tx3/data/.state.bin.48ohuld1wl.tmp left after Recover": a transaction root, one subdirectory, our temp.</summary>
    [GeneratedRegex(@"^(tx[0-9]+|sharedtx)/[^/]+/\.[^/]+\.tmp left after Recover$")]
    private static partial Regex TempInRootSubdirectory();
}
