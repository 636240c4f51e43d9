using System.Globalization;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The files of a torture run. A few shared files every writer replaces and updates (their versions rise by one per
/// commit, under a writers' lock, so "never behind a returned commit" is exact); and, for CreateNew, a chain of fresh
/// names per writer slot, <c>new-{slot}-{seq}.dat</c>, where a writer removes older links only once a newer one exists.
/// And the transaction set: five files in two subdirectories, which transaction writers replace together, each
/// transaction stamping one version into all five; the torture directory is the transaction root.
/// </summary>
internal static class TortureFiles
{
    internal const int SharedCount = 3;

    private const string CreatedPrefix = "new-";
    private const string DataSuffix = ".dat";

    /// <summary>How the transaction set is named in reports and writer messages.</summary>
    internal const string TransactionSetName = "transaction-set";

    /// <summary>The transaction set's directories, relative to the torture directory; the harness creates them.</summary>
    internal static IReadOnlyList<string> TransactionDirectories { get; } = ["tx-a", "tx-b"];

    /// <summary>The transaction set, relative to the torture directory: three files in one directory, two in the other.</summary>
    internal static IReadOnlyList<string> TransactionSet { get; } =
    [
        Path.Join("tx-a", "file-0.dat"),
        Path.Join("tx-a", "file-1.dat"),
        Path.Join("tx-a", "file-2.dat"),
        Path.Join("tx-b", "file-3.dat"),
        Path.Join("tx-b", "file-4.dat"),
    ];

    /// <summary>The lock a transaction writer holds from reading the set's version to reporting its commit.</summary>
    internal const string TransactionWritersLock = "transaction.writers-lock";

    /// <summary>The lock the verifier holds to keep new transactions out while it waits for the one in flight.</summary>
    internal const string TransactionTurnstile = "transaction.turnstile";

    internal static string Shared(int index) => string.Create(CultureInfo.InvariantCulture, $"shared-{index}{DataSuffix}");

    internal static IEnumerable<string> AllShared => Enumerable.Range(0, SharedCount).Select(Shared);

    internal static string Created(int slot, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{CreatedPrefix}{slot}-{sequence}{DataSuffix}");

    /// <summary>The lock writers hold on a shared file from reading its version to reporting the commit.</summary>
    internal static string WritersLock(string fileName) => fileName + ".writers-lock";

    /// <summary>The sequences of <paramref name="slot"/>'s CreateNew files present in <paramref name="directory"/>.</summary>
    internal static List<long> CreatedSequences(string directory, int slot)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{CreatedPrefix}{slot}-");
        var sequences = new List<long>();
        foreach (var path in Directory.EnumerateFiles(directory, prefix + "*" + DataSuffix))
        {
            var name = Path.GetFileName(path);
            if (long.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - DataSuffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                sequences.Add(sequence);
            }
        }

        return sequences;
    }
}
