namespace AtomicFiles.PowerLoss.Running;

/// <summary>A filesystem and the mount options under test: how to make it and how to mount it.</summary>
public sealed record FileSystemKind(string Name, string Type, long ImageBytes, string[] MkfsArguments, string MountOptions)
{
    /// <summary>ext4 with its default options (auto_da_alloc flushes a file renamed over another).</summary>
    public static FileSystemKind Ext4 { get; } = new("ext4", "ext4", 128L << 20, ["-q", "-F", "-b", "4096"], "");

    /// <summary>ext4 without the rename heuristic: a rename without fsync can publish an empty file.</summary>
    public static FileSystemKind Ext4NoAutoDaAlloc { get; } = Ext4 with { Name = "ext4 noauto_da_alloc", MountOptions = "noauto_da_alloc" };

    /// <summary>ext4 with data=writeback: data blocks are not ordered before the metadata that points at them.</summary>
    public static FileSystemKind Ext4DataWriteback { get; } = Ext4 with { Name = "ext4 data=writeback", MountOptions = "data=writeback" };

    /// <summary>xfs (mkfs.xfs needs ≥ 300 MB). nouuid: two workers mount clones of one image at once.</summary>
    public static FileSystemKind Xfs { get; } = new("xfs", "xfs", 320L << 20, ["-q", "-f"], "nouuid");

    /// <summary>btrfs (mkfs.btrfs needs ≥ 114 MB).</summary>
    public static FileSystemKind Btrfs { get; } = new("btrfs", "btrfs", 160L << 20, ["-q", "-f"], "");

    public static IReadOnlyList<FileSystemKind> All { get; } = [Ext4, Ext4NoAutoDaAlloc, Ext4DataWriteback, Xfs, Btrfs];

    public static FileSystemKind ByName(string name) => All.Single(fs => fs.Name == name);

    public string MkfsProgram => "mkfs." + Type;

    public override string ToString() => Name;
}
