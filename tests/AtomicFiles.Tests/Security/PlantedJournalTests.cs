using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Security;

/// <summary>
/// Another local user plants a transaction journal — validly sealed, built with the library's own format — in a
/// sticky shared directory above the victim's working directory, naming a victim's file. Recover on the victim's own
/// directory must not apply it: the victim's file survives, every time (the victim cannot remove another user's
/// journal from a sticky directory, so a Recover that acted on it would act again on every run). A FIFO in its place
/// must not hang Recover. The controls show the same bytes, placed by the victim in its own root, are applied.
/// </summary>
public sealed class PlantedJournalTests : HostileUsersTest
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void RecoverCommand_AsUserBelowAnotherUsersJournalInStickyDirectory_KeepsTheFileItNames_Twice()
    {
        var mallory = Users.CreateUser("mal");
        var victim = Users.CreateUser("vic");
        var work = Scratch.MakeDirectory(Path.Join("sticky", "vicwork"), victim, OwnerOnly);
        var precious = SharedScratch.MakeFile(Path.Join(work, "precious.txt"), "precious", victim.Uid, victim.PrimaryGroup.Gid, OwnerReadWrite);
        Plant(mallory, PlantedJournal.Deleting("vicwork/precious.txt"));

        for (var run = 1; run <= 2; run++)
        {
            var result = victim.Tool(Scratch.Tool, null, "recover", work);

            File.Exists(precious).Should().BeTrue("recover run {0} must not apply another user's journal (it said: {1}{2})",
                run, result.StandardOutput, result.StandardError);
        }
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void RecoverCommand_AsUserBelowAnotherUsersJournalLeadingIntoItsHomeThroughDotDot_KeepsTheFile_Twice()
    {
        var mallory = Users.CreateUser("mal");
        var victim = Users.CreateUser("vic");
        var home = Scratch.MakeDirectory("home-vic", victim, OwnerOnly);
        Scratch.MakeDirectory(Path.Join("home-vic", "sub"), victim, OwnerOnly);
        var precious = SharedScratch.MakeFile(Path.Join(home, "precious.txt"), "precious", victim.Uid, victim.PrimaryGroup.Gid, OwnerReadWrite);
        var work = Scratch.MakeDirectory(Path.Join("sticky", "vicwork"), victim, OwnerOnly);
        // As text sticky/evil is sticky itself; the kernel follows l first and lands in the victim's 0700 home.
        mallory.Run("ln", "-s", Path.Join("..", "home-vic", "sub"), Path.Join(Scratch.Sticky, "l"));
        mallory.Run("ln", "-s", Path.Join("l", ".."), Path.Join(Scratch.Sticky, "evil"));
        Plant(mallory, PlantedJournal.Deleting("evil/precious.txt"));

        for (var run = 1; run <= 2; run++)
        {
            var result = victim.Tool(Scratch.Tool, null, "recover", work);

            File.Exists(precious).Should().BeTrue("recover run {0} must not apply another user's journal (it said: {1}{2})",
                run, result.StandardOutput, result.StandardError);
        }
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Recover_AsRootBelowAnotherUsersJournalInStickyDirectory_KeepsTheFileItNames_Twice()
    {
        var mallory = Users.CreateUser("mal");
        var work = Scratch.MakeDirectory(Path.Join("sticky", "rootwork"), 0, 0, OwnerOnly);
        var precious = SharedScratch.MakeFile(Path.Join(work, "precious.txt"), "precious", 0, 0, OwnerReadWrite);
        Plant(mallory, PlantedJournal.Deleting("rootwork/precious.txt"));

        for (var run = 1; run <= 2; run++)
        {
            Attempt(() => AtomicFile.Recover(work));

            File.Exists(precious).Should().BeTrue("recover run {0} must not apply another user's journal", run);
        }
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void RecoverCommand_AsUserWithItsOwnJournalOfTheSameForm_AppliesIt()
    {
        // Control: the attacks above fail for the right reason — their journals are valid, and trusted ones get applied.
        var victim = Users.CreateUser("vic");
        var work = Scratch.MakeDirectory(Path.Join("sticky", "vicwork"), victim, OwnerOnly);
        var doomed = SharedScratch.MakeFile(Path.Join(work, "doomed.txt"), "doomed", victim.Uid, victim.PrimaryGroup.Gid, OwnerReadWrite);
        var source = SharedScratch.MakeFile(Path.Join(Scratch.Root, "journal"), "", 0, 0, (UnixFileMode)0x1A4);
        File.WriteAllBytes(source, PlantedJournal.Deleting("doomed.txt"));
        victim.Run("cp", source, PlantedJournal.PathIn(work));

        var result = victim.Tool(Scratch.Tool, null, "recover", work);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain("completed transaction");
        File.Exists(doomed).Should().BeFalse("the victim's own sealed journal is redone");
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Recover_AsRootWithItsOwnJournalOfTheSameForm_AppliesIt()
    {
        var work = Scratch.MakeDirectory("rootwork", 0, 0, OwnerOnly);
        var doomed = SharedScratch.MakeFile(Path.Join(work, "doomed.txt"), "doomed", 0, 0, OwnerReadWrite);
        File.WriteAllBytes(PlantedJournal.PathIn(work), PlantedJournal.Deleting("doomed.txt"));

        var report = AtomicFile.Recover(work);

        report.CompletedTransactions.Should().ContainSingle();
        File.Exists(doomed).Should().BeFalse();
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void RecoverCommand_AsUserBelowAnotherUsersFifoJournal_ReturnsWithoutHanging()
    {
        var mallory = Users.CreateUser("mal");
        var victim = Users.CreateUser("vic");
        var work = Scratch.MakeDirectory(Path.Join("sticky", "vicwork"), victim, OwnerOnly);
        mallory.Run("mkfifo", "-m", "666", PlantedJournal.PathIn(Scratch.Sticky));

        FluentActions.Invoking(() => ToolProcess.Run(["recover", work], wrapper: victim.Wrapper, timeout: Fifo.Watchdog, toolDll: Scratch.Tool))
            .Should().NotThrow<TimeoutException>("a FIFO planted as a journal must not block Recover");
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Recover_AsRootBelowAnotherUsersFifoJournal_ReturnsWithoutHanging()
    {
        var mallory = Users.CreateUser("mal");
        var work = Scratch.MakeDirectory(Path.Join("sticky", "rootwork"), 0, 0, OwnerOnly);
        var fifo = PlantedJournal.PathIn(Scratch.Sticky);
        mallory.Run("mkfifo", "-m", "666", fifo);

        var recover = Task.Factory.StartNew(() => AtomicFile.Recover(work), TaskCreationOptions.LongRunning);

        Fifo.WaitOrUnblock(recover, fifo).Should().BeTrue("a FIFO planted as a journal must not block Recover (the watchdog had to open it)");
        if (recover.Exception is { } failure)
        {
            failure.InnerException.Should().BeAssignableTo<IOException>().Which.Message.Should().Contain(fifo);
        }
    }

    /// <summary>The attacker copies <paramref name="journal"/> into the sticky directory: the file is theirs.</summary>
    private void Plant(LocalUser attacker, byte[] journal)
    {
        var source = SharedScratch.MakeFile(Path.Join(Scratch.Root, "planted"), "", 0, 0, (UnixFileMode)0x1A4);
        File.WriteAllBytes(source, journal);
        attacker.Run("cp", source, PlantedJournal.PathIn(Scratch.Sticky));
    }

    private static void Attempt(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
