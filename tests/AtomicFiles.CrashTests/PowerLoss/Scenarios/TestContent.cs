using System.Collections.Concurrent;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// Deterministic, distinguishable content: the child and the checker compute the same bytes from the same seed.
/// Cached: every crash state compares against the same few megabytes, and generating them each time cost more than
/// the comparison.
/// </summary>
internal static class TestContent
{
    private static readonly ConcurrentDictionary<(int Length, int Seed), byte[]> Cache = new();

    /// <summary>Shared instances: callers must not modify them.</summary>
    public static byte[] Bytes(int length, int seed) => Cache.GetOrAdd((length, seed), key =>
    {
        var bytes = new byte[key.Length];
        new Random(key.Seed).NextBytes(bytes);
        return bytes;
    });
}
