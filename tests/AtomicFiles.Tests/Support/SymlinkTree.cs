using CsCheck;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// A random little filesystem for property tests of path resolution: real directories inside and outside a root, and
/// symbolic links among them whose targets climb with <c>..</c>, jump absolutely, chain and loop. The kernel, not a
/// string function, is the judge of where a path leads: <see cref="KernelDirectory"/> asks it by creating a probe file.
/// </summary>
internal sealed class SymlinkTree : IDisposable
{
    /// <summary>
    /// The real directories, relative to the tree's base. "R" is the root a transaction is confined to. The base lies
    /// eight levels deep in the sandbox, so that no climb of a generated path or link leaves the sandbox.
    /// </summary>
    internal static readonly string[] Directories = ["../../../../../../../..", "../../../../../../..", "../../../../../..", "../../../../..", "../../../..", "../../..", "../..", "..", "", "R", "R/a", "R/a/b", "O", "O/s"];

    /// <summary>Where links may be planted.</summary>
    private static readonly string[] LinkHomes = ["R", "R/a", "R/a/b", "O"];

    /// <summary>Link targets: relative climbs, links through links, absolute jumps (with {S} for the sandbox), loops, files.</summary>
    private static readonly string[] LinkTargets =
    [
        "..", "../..", "a", "a/b", "../O", "../O/s", "../../O/s", "l0/..", "l1/..", "l2/../..", "l0", "l1", "l3",
        "{S}/O", "{S}/O/s", "{S}/R/a", "{S}/R/l0/..", ".", "f", "../f", "l0/f", "../O/s/f", "{S}/O/f", "a/../f",
        "l0/../f", "l1/../../f", "l2/../g", "missing/../f",
    ];

    // Temps are hidden files: a snapshot must see them.
    private static readonly EnumerationOptions s_everyEntry = new() { AttributesToSkip = 0 };

    private readonly TempDirectory _sandbox = new();

    private SymlinkTree(IReadOnlyList<(string Home, string Name, string Target)> links)
    {
        Links = links;
        foreach (var directory in Directories)
        {
            Directory.CreateDirectory(Full(directory));
            File.WriteAllText(Path.Join(Full(directory), "f"), $"old {directory}");
        }

        foreach (var (home, name, target) in links)
        {
            File.CreateSymbolicLink(Path.Join(Full(home), name), target.Replace("{S}", Full(string.Empty), StringComparison.Ordinal));
        }
    }

    internal string Sandbox => _sandbox.Path;

    internal string Root => Full("R");

    internal IReadOnlyList<(string Home, string Name, string Target)> Links { get; }

    /// <summary>Trees of up to six links, each planted in a random directory under a name l0–l3.</summary>
    internal static Gen<(string Home, string Name, string Target)[]> Gen { get; } =
        CsCheck.Gen.Select(CsCheck.Gen.OneOf(LinkHomes), CsCheck.Gen.Int[0, 3], CsCheck.Gen.OneOf(LinkTargets), (home, n, target) => (Home: home, Name: $"l{n}", Target: target))
            .Array[0, 6]
            .Select(links => links.DistinctBy(l => (l.Home, l.Name)).ToArray());

    /// <summary>Relative paths of up to three segments among the directories, links, <c>.</c> and <c>..</c>, ending in one of <paramref name="names"/>.</summary>
    internal static Gen<string> RelativePath(params string[] names) =>
        CsCheck.Gen.Select(CsCheck.Gen.OneOf("a", "b", "s", "l0", "l1", "l2", "l3", "..", ".", "O", "R").Array[0, 3], CsCheck.Gen.OneOf(names), (segments, name) => string.Join('/', segments.Append(name)));

    internal static SymlinkTree Create((string Home, string Name, string Target)[] links) => new(links);

    internal string Full(string relative) => Path.GetFullPath(Path.Join(Sandbox, "d/d/d/d/d/d/d/d", relative));

    /// <summary>
    /// The real directory (relative to the sandbox) that the kernel resolves <paramref name="directoryPath"/> to, found
    /// by creating a probe file through that path and looking where it landed; <see langword="null"/> if the kernel
    /// resolves it to no directory (missing, a file, a loop).
    /// </summary>
    internal string? KernelDirectory(string directoryPath)
    {
        var probe = $"probe{Guid.NewGuid():N}";
        if (!Kernel.TryCreate(directoryPath + "/" + probe))
        {
            return null;
        }

        var landed = Directories.SingleOrDefault(d => File.Exists(Path.Join(Full(d), probe)) && !IsLink(Path.Join(Full(d), probe)))
            ?? throw new InvalidOperationException($"The probe through '{directoryPath}' landed outside the tree: the tree must be deeper.");
        File.Delete(Path.Join(Full(landed), probe));
        return landed;
    }

    /// <summary>Every regular file in the sandbox's real directories with its content.</summary>
    internal Dictionary<string, string> Snapshot()
    {
        var files = new Dictionary<string, string>();
        foreach (var directory in Directories)
        {
            foreach (var file in Directory.EnumerateFiles(Full(directory), "*", s_everyEntry))
            {
                // The transaction root's lock file stays by design; it is not content.
                if (!IsLink(file) && !Path.GetFileName(file).StartsWith(".atomicfiles-transaction.lock", StringComparison.Ordinal))
                {
                    files[Path.GetRelativePath(Full(string.Empty), file)] = File.ReadAllText(file);
                }
            }
        }

        return files;
    }

    public override string ToString() => string.Join(", ", Links.Select(l => $"{l.Home}/{l.Name} -> {l.Target}"));

    public void Dispose() => _sandbox.Dispose();

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
