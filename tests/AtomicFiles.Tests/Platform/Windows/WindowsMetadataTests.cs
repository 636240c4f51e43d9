using System.Runtime.Versioning;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Platform.Windows;

/// <summary>
/// A replaced file's access list and attributes are kept, and its temp has the access list from its creation: the
/// Windows twin of keeping mode and owner on Unix. Each check has its control, PreserveMetadata off, which it catches.
/// Under Wine a DACL is stored as the Unix mode bits (no xattr), so what it shows is who may read and write: an
/// owner-only list, read back as SYSTEM and the owner, against the Everyone-read list of a file created plainly. Wine
/// has one user, so the owner itself, and the fallback when the writer may not set it, are left to Windows.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class WindowsMetadataTests : IDisposable
{
    private static readonly AtomicFileOptions NotPreserved = new() { PreserveMetadata = false };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Windows)]
    public void Replace_HiddenSystemFile_KeepsItsAttributes()
    {
        var path = _dir.File("a.txt");
        AtomicFile.WriteAllText(path, "old");
        const FileAttributes kept = FileAttributes.Hidden | FileAttributes.System;
        File.SetAttributes(path, kept | FileAttributes.Archive);

        AtomicFile.WriteAllText(path, "new");

        (File.GetAttributes(path) & kept).Should().Be(kept);
        AtomicFile.WriteAllText(path, "control", NotPreserved);
        (File.GetAttributes(path) & kept).Should().Be((FileAttributes)0, "the control, which does not keep them, must fail the check");
    }

    [RequiresFact(Requirement.Windows)]
    public void Replace_OwnerOnlyAccessList_KeepsIt()
    {
        var path = _dir.File("a.txt");
        AtomicFile.WriteAllText(path, "old");
        var ownerOnly = MakeOwnerOnly(path);

        AtomicFile.WriteAllText(path, "new");

        AccessList(path).Should().Be(ownerOnly);
        MakeOwnerOnly(path);
        AtomicFile.WriteAllText(path, "control", NotPreserved);
        AccessList(path).Should().NotBe(ownerOnly, "the control, which inherits the directory's list, must fail the check");
    }

    [RequiresFact(Requirement.Windows)]
    public void Temp_WhileWritten_HasTheReplacedFilesAccessList()
    {
        var path = _dir.File("a.txt");
        AtomicFile.WriteAllText(path, "old");
        var ownerOnly = MakeOwnerOnly(path);

        using (var writer = AtomicFile.Create(path))
        {
            writer.WriteByte(1);
            AccessList(TempFiles.In(_dir.Path).Single()).Should().Be(ownerOnly);
        }

        using (AtomicFile.Create(path, NotPreserved))
        {
            AccessList(TempFiles.In(_dir.Path).Single()).Should().NotBe(ownerOnly, "the control must fail the check");
        }
    }

    /// <summary>Gives <paramref name="path"/> a protected access list that lets only its owner in; returns the list as read back.</summary>
    private static string MakeOwnerOnly(string path)
    {
        WindowsAccessList.Set(path, $"D:P(A;;FA;;;{WindowsAccessList.OwnerOf(path)})");
        var list = AccessList(path);
        list.Should().NotContain(";;;WD)", "Everyone must not be on an owner-only list");
        return list;
    }

    private static string AccessList(string path) => WindowsAccessList.Of(path);
}
