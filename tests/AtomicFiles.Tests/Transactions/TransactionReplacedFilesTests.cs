namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// A commit holds the files it replaces or deletes open across the renames, so their inodes are freed together at
/// the end rather than one rename at a time. None may stay open after Commit returns.
/// </summary>
public sealed class TransactionReplacedFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux)]
    public void Commit_ReplacingAndDeletingFiles_LeavesNoneOfThemOpen()
    {
        var paths = Enumerable.Range(0, 30).Select(i => _dir.File($"f{i}.bin")).ToArray();
        foreach (var path in paths)
        {
            File.WriteAllText(path, "old");
        }

        using (var tx = AtomicFile.BeginTransaction(_dir.Path))
        {
            foreach (var path in paths[..20])
            {
                tx.WriteAllText(path, "new");
            }

            foreach (var path in paths[20..])
            {
                tx.Delete(path);
            }

            tx.Commit();
        }

        paths[..20].Select(File.ReadAllText).Should().OnlyContain(text => text == "new");
        paths[20..].Where(File.Exists).Should().BeEmpty();
        OpenDescriptorsUnder(_dir.Path).Should().BeEmpty("every replaced or deleted file was closed before Commit returned");
    }

    /// <summary>What this process's open descriptors point to under <paramref name="directory"/> (Linux: /proc/self/fd).</summary>
    private static string[] OpenDescriptorsUnder(string directory) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Select(LinkTargetOrNull)
            .OfType<string>()
            .Where(target => target.StartsWith(directory + "/", StringComparison.Ordinal))
            .ToArray();

    // A descriptor another test closes while this one reads the list is simply gone.
    private static string? LinkTargetOrNull(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
