using System.Text;
using AtomicFiles.FaultInjection;

namespace AtomicFiles.Testing;

/// <summary>
/// A transaction's before and after, for crash tests: an old set of files under a root, and a transaction that
/// replaces two, creates one in a nested directory and deletes one. <see cref="Classify"/> says whether a directory
/// holds exactly the old set or exactly the new set — anything else is a broken all-or-nothing promise.
/// </summary>
public static class TransactionFileSet
{
    private static readonly string[] s_directories = ["sub", Path.Join("sub", "deep")];

    private static readonly Dictionary<string, string?> s_old = new()
    {
        ["a.txt"] = "old a",
        [Path.Join("sub", "b.txt")] = "old b",
        [Path.Join("sub", "deep", "c.txt")] = null,
        ["gone.txt"] = "old gone",
    };

    private static readonly Dictionary<string, string?> s_new = new()
    {
        ["a.txt"] = "new a",
        [Path.Join("sub", "b.txt")] = "new b",
        [Path.Join("sub", "deep", "c.txt")] = "new c",
        ["gone.txt"] = null,
    };

    /// <summary>Files the transaction writes (relative path, new content).</summary>
    public static IEnumerable<(string Path, string Content)> Writes =>
        s_new.Where(p => p.Value is not null).Select(p => (p.Key, p.Value!));

    /// <summary>Files the transaction deletes.</summary>
    public static IEnumerable<string> Deletes => s_new.Where(p => p.Value is null).Select(p => p.Key);

    /// <summary>Creates the old set under <paramref name="root"/>.</summary>
    public static void CreateOld(string root)
    {
        foreach (var directory in s_directories)
        {
            Directory.CreateDirectory(Path.Join(root, directory));
        }

        foreach (var (path, content) in s_old)
        {
            if (content is not null)
            {
                File.WriteAllText(Path.Join(root, path), content);
            }
        }
    }

    /// <summary>Runs the transaction over <paramref name="root"/> through the public API.</summary>
    public static void Commit(string root, AtomicFileOptions? options = null)
    {
        using var tx = AtomicFile.BeginTransaction(root, options);
        foreach (var (path, content) in Writes)
        {
            tx.WriteAllText(path, content);
        }

        foreach (var path in Deletes)
        {
            tx.Delete(path);
        }

        tx.Commit();
    }

    /// <summary>"old" or "new" if <paramref name="root"/> holds exactly that set; otherwise a description of what is wrong.</summary>
    public static string Classify(string root)
    {
        if (Matches(root, s_old))
        {
            return "old";
        }

        return Matches(root, s_new) ? "new" : "mixed: " + Describe(root);
    }

    /// <summary>Files in <paramref name="root"/> (recursively) that are temps or a journal: what recovery must leave none of.</summary>
    public static string[] Leftovers(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".journal", StringComparison.Ordinal))
            .ToArray();

    /// <summary>
    /// Creates the old set under <paramref name="root"/> (a new directory), commits the new one, and copies the tree as
    /// it stood right after <paramref name="step"/> to <paramref name="copy"/>: the disk a crash at that instant leaves.
    /// By default the commit point (sealed journal, staged temps, nothing applied).
    /// </summary>
    internal static void CommitCapturing(string root, string copy, ProtocolStep step = ProtocolStep.JournalDirectoryFlush)
    {
        Directory.CreateDirectory(root);
        CreateOld(root);
        Commit(root, new AtomicFileOptions
        {
            Faults = new()
            {
                AfterStep = reached =>
                {
                    if (reached.Step == step)
                    {
                        CopyTree(root, copy);
                    }
                },
            },
        });
    }

    /// <summary>Copies every file and directory of <paramref name="source"/> into a new <paramref name="destination"/>: the disk as a process crash would leave it.</summary>
    public static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Join(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            // The lock file only serializes live transactions; a crashed process holds nothing.
            if (Path.GetFileName(file) != ".atomicfiles-transaction.lock")
            {
                File.WriteAllBytes(Path.Join(destination, Path.GetRelativePath(source, file)), ReadIgnoringLocks(file));
            }
        }
    }

    /// <summary>
    /// Reads a file without taking a lock: .NET's own File.ReadAllBytes takes a shared flock, which an exclusive flock
    /// a live process holds on a file in the tree (a liveness-lock probe on macOS, an Update sidecar) would refuse.
    /// On Windows, where there is no flock, a read that shares everything, so a live holder's share mode does not refuse it.
    /// </summary>
    private static byte[] ReadIgnoringLocks(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        using var handle = AtomicFiles.Platform.Interop.Unix.Interop.Sys.Open(path, AtomicFiles.Platform.Interop.Unix.Interop.OpenFlags.O_RDONLY, 0);
        if (handle.IsInvalid)
        {
            throw new IOException($"Could not open '{path}' (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        }

        var bytes = new byte[RandomAccess.GetLength(handle)];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return bytes[..read];
    }

    private static bool Matches(string root, Dictionary<string, string?> expected) =>
        expected.All(pair =>
        {
            var path = Path.Join(root, pair.Key);
            return pair.Value is null ? !File.Exists(path) : File.Exists(path) && File.ReadAllText(path) == pair.Value;
        });

    private static string Describe(string root)
    {
        var text = new StringBuilder();
        foreach (var path in s_old.Keys)
        {
            var full = Path.Join(root, path);
            text.Append(path).Append('=').Append(File.Exists(full) ? $"'{File.ReadAllText(full)}'" : "absent").Append("; ");
        }

        return text.ToString();
    }
}
