using System.Globalization;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The files of a torture run. A few shared files every writer replaces and updates (their versions rise by one per
/// commit, under a writers' lock, so "never behind a returned commit" is exact); and, for CreateNew, a chain of fresh
/// names per writer slot, <c>new-{slot}-{seq}.dat</c>, where a writer removes older links only once a newer one exists.
/// </summary>
internal static class TortureFiles
{
    internal const int SharedCount = 3;

    private const string CreatedPrefix = "new-";
    private const string DataSuffix = ".dat";

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
