namespace AtomicFiles.Transactions;

/// <summary>
/// The physical location of a directory: its full path with every symbolic link (or junction) along it resolved.
/// Only this tells whether a path that looks inside a root really stays there.
/// </summary>
internal static class RealPath
{
    // Linux gives up after 40 links in one lookup (ELOOP); so do we.
    private const int MaxLinks = 40;

    /// <summary>Resolves every link in <paramref name="fullPath"/>, an absolute path to an existing directory.</summary>
    /// <exception cref="IOException">The links loop or nest deeper than 40.</exception>
    internal static string OfDirectory(string fullPath)
    {
        var links = 0;
        return Resolve(Path.TrimEndingDirectorySeparator(fullPath), ref links);
    }

    private static string Resolve(string fullPath, ref int links)
    {
        var root = Path.GetPathRoot(fullPath) ?? throw new ArgumentException($"'{fullPath}' is not an absolute path.", nameof(fullPath));
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var next = Path.Join(current, part);
            if (new DirectoryInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"Too many levels of symbolic links in '{fullPath}'.");
                }

                // A relative link is relative to the directory holding it; its target may hold links of its own.
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }

            current = next;
        }

        return current;
    }
}
