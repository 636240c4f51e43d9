namespace AtomicFiles.Tests.Support;

/// <summary>
/// Directories that several local users share, like /tmp: a root under /tmp that everyone may traverse (the checkout
/// and a mktemp -d may be 0700), holding a sticky world-writable directory and, on request, group-shared and private
/// ones. Removed with everything in it on <see cref="Dispose"/>. Linux, root.
/// </summary>
internal sealed class SharedScratch : IDisposable
{
    private const UnixFileMode Traversable = (UnixFileMode)0x1ED; // 0755
    private const UnixFileMode StickyWorldWritable = (UnixFileMode)0x3FF; // 1777
    private const UnixFileMode SetGidGroupShared = (UnixFileMode)0x5F8; // 2770

    private string? _tool;

    internal SharedScratch()
    {
        Root = Path.Join("/tmp", $"afx-scratch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        File.SetUnixFileMode(Root, Traversable);
        Sticky = Path.Join(Root, "sticky");
        Directory.CreateDirectory(Sticky);
        File.SetUnixFileMode(Sticky, StickyWorldWritable);
    }

    /// <summary>Root-owned, 0755: every user may traverse it, only root may change it.</summary>
    internal string Root { get; }

    /// <summary>Root-owned, 1777, like /tmp: everyone creates entries, only an entry's owner (or the directory's) removes it.</summary>
    internal string Sticky { get; }

    /// <summary>The atomicfile tool, copied where every user may load it.</summary>
    internal string Tool => _tool ??= ToolProcess.CopyForAnotherUser(Path.Join(Root, "tool"));

    /// <summary>A root-owned 2770 directory of <paramref name="group"/>: its members create files, which inherit the group.</summary>
    internal string GroupShared(string name, LocalGroup group) => MakeDirectory(name, 0, group.Gid, SetGidGroupShared);

    /// <summary>A directory at <paramref name="path"/> (relative to <see cref="Root"/> or absolute) with this owner and mode.</summary>
    internal string MakeDirectory(string path, uint uid, uint gid, UnixFileMode mode)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(full);
        Chown(full, uid, gid);
        File.SetUnixFileMode(full, mode);
        return full;
    }

    /// <summary>A directory owned by <paramref name="owner"/> and their primary group.</summary>
    internal string MakeDirectory(string path, LocalUser owner, UnixFileMode mode) => MakeDirectory(path, owner.Uid, owner.PrimaryGroup.Gid, mode);

    /// <summary>A file with this content, owner and mode.</summary>
    internal static string MakeFile(string path, string content, uint uid, uint gid, UnixFileMode mode)
    {
        File.WriteAllText(path, content);
        Chown(path, uid, gid);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    internal static void Chown(string path, uint uid, uint gid) =>
        Command.Run("chown", "--no-dereference", $"{uid}:{gid}", path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A test that left something behind reports its own failure; don't mask it here.
        }
    }
}
