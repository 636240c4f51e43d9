namespace AtomicFiles.PowerLoss.Scenarios;

/// <summary>The checks most scenarios share: old-or-new content, durability after a marker, nothing left behind.</summary>
public static class ContentChecks
{
    /// <summary>
    /// Invariants 2 and 3 for one replaced file: it must be exactly <paramref name="old"/> or exactly
    /// <paramref name="new"/> (null = absent), and <paramref name="new"/> once the cut is after
    /// <paramref name="committedMarker"/>. Returns and records "old", "new" or "other".
    /// </summary>
    public static string OldOrNew(CrashCheck check, string path, byte[]? old, byte[] @new, string committedMarker)
    {
        var actual = File.Exists(path) ? File.ReadAllBytes(path) : null;
        var version = Same(actual, @new) ? "new" : Same(actual, old) ? "old" : "other";
        check.Observe(path, version);
        if (version == "other")
        {
            check.Fail(Invariant.OldOrNew, $"{Path.GetFileName(path)} is {Describe(actual)}, neither old ({Describe(old)}) nor new ({Describe(@new)})");
        }
        else if (version == "old" && check.IsAfter(committedMarker))
        {
            check.Fail(Invariant.Durable, $"{Path.GetFileName(path)} is old after '{committedMarker}'");
        }

        return version;
    }

    /// <summary>Invariant 5: no temp (*.tmp) or transaction journal anywhere under <paramref name="directory"/> after Recover.</summary>
    public static void NoLeftovers(CrashCheck check, string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".tmp", StringComparison.Ordinal) || name.EndsWith(".journal", StringComparison.Ordinal))
            {
                check.Fail(Invariant.NoLeftovers, $"{Path.GetRelativePath(directory, file)} left after Recover");
            }
        }
    }

    public static string Describe(byte[]? content) => content switch
    {
        null => "absent",
        { Length: 0 } => "empty",
        _ when content.All(b => b == 0) => $"{content.Length} zero bytes",
        _ => $"{content.Length} bytes",
    };

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
