namespace AtomicFiles.Testing;

/// <summary>
/// What a test needs from the machine beyond .NET. CI (.ci/run) installs all of it and fails on any skip. Every
/// requirement but <see cref="Windows"/> and <see cref="SymbolicLinks"/> is a Linux one (root there, Linux tools, Linux
/// filesystems), so a test that names any of them is Linux-only: not collected on Windows or macOS. A
/// <see cref="Windows"/> test is collected only on Windows.
/// </summary>
[Flags]
public enum Requirement
{
    None = 0,
    Linux = 1,
    Root = 2,
    Strace = 4,
    Fuse = 8,
    LoopDevices = 16,
    Xfs = 32,
    Btrfs = 64,
    QemuStorageDaemon = 128,
    Windows = 256,

    /// <summary>
    /// Creating a symbolic link creates one. Not so under Wine, whose CreateSymbolicLinkW is a stub that reports
    /// success and creates nothing, nor on Windows without the privilege to create links: there the test is not
    /// collected (a property of the platform, like a Linux-only test elsewhere), decided at discovery by a probe.
    /// </summary>
    SymbolicLinks = 512,
}
