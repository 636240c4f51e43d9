using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Platform.Windows;

/// <summary>
/// The Windows rename: POSIX semantics where the volume has it, the classic rename where it refuses (Wine 8 always does; the
/// <see cref="InjectedDefect.WindowsClassicRenameOnly"/> switch forces it on NTFS). That switch is also the mutant the
/// readers-never-block check catches: <see cref="AtomicFileReadTests.OpenRead_ThenReplaced_ReaderKeepsTheOldFileAndThePathHasTheNew"/>
/// holds only with the POSIX rename, as the first test here shows.
/// </summary>
public sealed class WindowsRenameTests : IDisposable
{
    private static readonly AtomicFileOptions ClassicRenameOnly = new() { Faults = new() { Defects = InjectedDefect.WindowsClassicRenameOnly }, WindowsRetryTimeout = TimeSpan.Zero };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Windows)]
    public void Replace_ClassicRenameOnly_ReaderSharingDeleteBlocksIt()
    {
        var path = _dir.File("a.txt");
        AtomicFile.WriteAllText(path, "old");

        using (AtomicFile.OpenRead(path))
        {
            var replace = () => AtomicFile.WriteAllText(path, "new", ClassicRenameOnly);

            replace.Should().Throw<UnauthorizedAccessException>().Which.HResult.Should().Be(unchecked((int)0x80070005));
            File.ReadAllText(path).Should().Be("old");
        }

        TempFiles.In(_dir.Path).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Windows)]
    public void ReplaceAndCreateNew_ClassicRenameOnly_WorkWithoutReaders()
    {
        var path = _dir.File("a.txt");

        AtomicFile.WriteAllText(path, "one", ClassicRenameOnly);
        AtomicFile.WriteAllText(path, "two", ClassicRenameOnly);

        File.ReadAllText(path).Should().Be("two");
        using (var writer = AtomicFile.CreateNew(_dir.File("b.txt"), ClassicRenameOnly))
        {
            writer.WriteByte(7);
            writer.Commit();
        }

        File.ReadAllBytes(_dir.File("b.txt")).Should().Equal(7);
        TempFiles.In(_dir.Path).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Windows)]
    public void CreateNew_TargetAppearedBeforeCommit_RefusedWithFileExistsByEitherRename()
    {
        foreach (var options in new[] { AtomicFileOptions.Default, ClassicRenameOnly })
        {
            var path = _dir.File(options == ClassicRenameOnly ? "fallback.txt" : "posix.txt");
            using var writer = AtomicFile.CreateNew(path, options);
            writer.WriteByte(1);
            File.WriteAllText(path, "someone else's");

            var commit = () => writer.Commit();

            commit.Should().Throw<IOException>().Which.HResult.Should().Be(unchecked((int)0x80070050));
            File.ReadAllText(path).Should().Be("someone else's");
        }
    }

    [RequiresFact(Requirement.Windows)]
    public void Replace_PlainFileOpenReadReader_BlocksItEvenWithThePosixRename()
    {
        // The control for AtomicFile.OpenRead's share mode: File.OpenRead refuses delete access to others.
        var path = _dir.File("a.txt");
        AtomicFile.WriteAllText(path, "old");

        using (File.OpenRead(path))
        {
            var replace = () => AtomicFile.WriteAllText(path, "new", new AtomicFileOptions { WindowsRetryTimeout = TimeSpan.Zero });

            replace.Should().Throw<Exception>().Which.Should().Match(e => e is UnauthorizedAccessException || e is IOException);
            File.ReadAllText(path).Should().Be("old");
        }
    }

    [RequiresFact(Requirement.Windows)]
    public void Replace_FallsBackToTheClassicRename_ExactlyWhereTheVolumeRefusesThePosixRename()
    {
        var logger = new CapturingLogger();
        var path = _dir.File("a.txt");

        AtomicFile.WriteAllText(path, "one", new AtomicFileOptions { Logger = logger });
        AtomicFile.WriteAllText(path, "two", new AtomicFileOptions { Logger = logger });

        var fallbacks = logger.Entries.Where(e => e.EventId.Id == 40).ToList();
        fallbacks.Should().HaveCount(WindowsHost.ReadersNeverBlockReplace ? 0 : 2);
        fallbacks.Should().OnlyContain(e => e.Message.Contains("error 87", StringComparison.Ordinal));
        File.ReadAllText(path).Should().Be("two");
    }
}
