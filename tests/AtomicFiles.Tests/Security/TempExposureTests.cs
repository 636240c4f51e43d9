using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Security;

/// <summary>
/// Who can read a file while it is being replaced. Alice's file is <c>0640 alice:secret</c> (secret is one of her
/// groups, not her primary one). A watcher in alice's primary group, not in secret, loops opening every temp in the
/// directory while alice commits 1,000 writes: it must open none. A naive writer that creates its temp with the final
/// mode and changes the group afterwards is caught by the same watcher. When the group cannot be kept, the published
/// file must not become readable by a group that could not read the old one.
/// </summary>
public sealed class TempExposureTests : HostileUsersTest
{
    private const int Writes = 1000;
    private const UnixFileMode Mode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0750 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    // Opens every temp-named entry (.NAME....tmp) of a directory, over and over, and prints each one it could open:
    // an open descriptor reads the file's content whatever its mode or group becomes later.
    private const string WatcherScript = """
        import os, sys
        d = sys.argv[1]
        seen = set()
        first = True
        while True:
            try:
                names = os.listdir(d)
            except OSError:
                names = []
            if first:
                print("ready", flush=True)
                first = False
            for n in names:
                if not (n.startswith(".") and n.endswith(".tmp")):
                    continue
                try:
                    fd = os.open(os.path.join(d, n), os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
                except OSError:
                    continue
                try:
                    os.read(fd, 4096)
                except OSError:
                    pass
                os.close(fd)
                if n not in seen:
                    seen.add(n)
                    print("opened " + n, flush=True)
        """;

    // The naive writer: temp created with the final mode, content written and flushed, group changed, renamed.
    private const string NaiveWriterScript = """
        import os, sys
        d, name, gid, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        for i in range(count):
            tmp = os.path.join(d, ".%s.naive%05d.tmp" % (name, i))
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            os.fchmod(fd, 0o640)
            os.write(fd, str(i).encode())
            os.fsync(fd)
            os.fchown(fd, -1, gid)
            os.close(fd)
            os.rename(tmp, os.path.join(d, name))
        """;

    private const string Python = "/usr/bin/python3";

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Update_AsAliceOnA0640FileOfHerSecondaryGroup_NoTempIsOpenedByHerPrimaryGroup()
    {
        var (alice, watcher, secret, directory, file) = AliceAndWatcher();

        var opened = Watch(watcher, directory, () =>
        {
            var result = alice.Tool(Scratch.Tool, null, "increment", file, Writes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--durability", "fileonly");
            result.ExitCode.Should().Be(0, result.StandardError);
        });

        File.ReadAllText(file).Should().Be(Writes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        UnixOwner.Of(file).Gid.Should().Be(secret.Gid);
        opened.Should().BeEmpty("a member of alice's primary group, not of {0}, opened {1} of {2} temps", secret.Name, opened.Count, Writes);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void NaiveWriter_AsAliceOnA0640FileOfHerSecondaryGroup_IsCaughtByTheSameWatcher()
    {
        var (alice, watcher, secret, directory, file) = AliceAndWatcher();

        var opened = Watch(watcher, directory, () =>
            alice.Run(Python, "-c", NaiveWriterScript, directory, Path.GetFileName(file), secret.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Writes.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        UnixOwner.Of(file).Gid.Should().Be(secret.Gid);
        opened.Should().NotBeEmpty("a temp created with the final mode under alice's primary group is readable until its group changes");
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteCommand_AsAliceOnHerFileOfAGroupSheIsNotIn_DoesNotMakeItReadableToAnotherGroup()
    {
        // Alice owns the file, so she may replace it, but cannot give the new one the group secret.
        AssertGroupCannotWidenReaders(fileOwnedByAlice: true);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteCommand_AsAliceOnBobsFileOfAGroupSheIsNotIn_DoesNotMakeItReadableToAnotherGroup()
    {
        // Bob's 0640 file is not writable by alice: today refused as read-only, which keeps this safe.
        AssertGroupCannotWidenReaders(fileOwnedByAlice: false);
    }

    /// <summary>
    /// In a 2770 directory of group share, a 0640 file of group secret (alice is in share, not in secret) is written
    /// by alice; carol, in share only, could not read it before and must not read it after.
    /// </summary>
    private void AssertGroupCannotWidenReaders(bool fileOwnedByAlice)
    {
        var share = Users.CreateGroup("share");
        var secret = Users.CreateGroup("secret");
        var alice = Users.CreateUser("alice", share);
        var bob = Users.CreateUser("bob", share, secret);
        var carol = Users.CreateUser("carol", share);
        var directory = Scratch.GroupShared("shared", share);
        var owner = fileOwnedByAlice ? alice : bob;
        var report = SharedScratch.MakeFile(Path.Join(directory, "report.txt"), "old report", owner.Uid, secret.Gid, Mode0640);
        var visible = SharedScratch.MakeFile(Path.Join(directory, "visible.txt"), "for the group", 0, share.Gid, Mode0640);
        carol.Run("cat", visible).Should().Be("for the group", "control: carol reads what her group may read");
        bob.Run("cat", report).Should().Be("old report", "control: the file's group may read it");
        FluentActions.Invoking(() => carol.Run("cat", report)).Should().Throw<InvalidOperationException>("carol could not read the old file");

        var result = alice.Tool(Scratch.Tool, "alice's report", "write", report);

        var (_, gid) = UnixOwner.Of(report);
        var mode = File.GetUnixFileMode(report);
        FluentActions.Invoking(() => carol.Run("cat", report)).Should().Throw<InvalidOperationException>(
            "carol, not in {0}, could not read the old file, so she must not read the new one (exit {1}, now gid {2}, mode {3}; the tool said: {4})",
            secret.Name, result.ExitCode, gid, mode, result.StandardError);
        if (mode.HasFlag(UnixFileMode.GroupRead))
        {
            gid.Should().Be(secret.Gid, "a group-readable file keeps the group that could read it");
        }

        mode.HasFlag(UnixFileMode.OtherRead).Should().BeFalse();
        TempFiles.In(directory).Should().BeEmpty();
    }

    /// <summary>
    /// Alice (in group secret besides her own), a watcher in alice's primary group only, alice's 0750 directory and a
    /// counter file 0640 alice:secret in it.
    /// </summary>
    private (LocalUser Alice, LocalUser Watcher, LocalGroup Secret, string Directory, string File) AliceAndWatcher()
    {
        var secret = Users.CreateGroup("secret");
        var alice = Users.CreateUser("alice", secret);
        var watcher = Users.CreateUser("watch", alice.PrimaryGroup);
        var directory = Scratch.MakeDirectory("alice", alice, Mode0750);
        var file = SharedScratch.MakeFile(Path.Join(directory, "counter.txt"), "0", alice.Uid, secret.Gid, Mode0640);
        return (alice, watcher, secret, directory, file);
    }

    /// <summary>Runs <paramref name="work"/> while the watcher loops over <paramref name="directory"/>; returns the temps it opened.</summary>
    private static List<string> Watch(LocalUser watcher, string directory, Action work)
    {
        using var process = watcher.Start(Python, "-c", WatcherScript, directory);
        try
        {
            process.StandardOutput.ReadLine().Should().Be("ready", "the watcher loops before the writes begin");
            var output = process.StandardOutput.ReadToEndAsync();
            work();
            process.Kill();
            process.WaitForExit();
            return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }
        }
    }
}
