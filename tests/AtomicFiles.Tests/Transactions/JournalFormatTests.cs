using System.Security.Cryptography;
using System.Text;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Transactions;

public sealed class JournalFormatTests : IDisposable
{
    private const string Hash = "0123456789ABCDEF0123456789ABCDEF";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parse_SealedJournal_IsCommittedWithItsOperationsInOrder()
    {
        var bytes = WriteJournal(seal: true);

        var journal = JournalFormat.Parse(bytes);

        journal.IsCommitted.Should().BeTrue();
        journal.Version.Should().Be(2);
        journal.Operations.Should().Equal(
            new JournalOperation("gone.txt", null),
            new JournalOperation(Path.Join("dir with space", "new line%0Añ.txt"), Path.Join("dir with space", ".new line%0Añ.txt.abcdefghij.tmp")) { ContentHash = Hash });
        journal.Temps.Should().Equal(Enumerable.Repeat(Path.Join("dir with space", ".new line%0Añ.txt.abcdefghij.tmp"), 2), "the stage line and the replace line both name it");
    }

    [Fact]
    public void Parse_Version1Journal_IsCommittedWithoutContentHashes()
    {
        var journal = JournalFormat.Parse(Recovery.JournalFixtures.Sealed("replace sub/.b.txt.abcdefghij.tmp sub/b.txt\ndelete gone.txt\n", version: 1));

        journal.IsCommitted.Should().BeTrue();
        journal.Version.Should().Be(1);
        journal.Operations.Should().Equal(
            new JournalOperation(Path.Join("sub", "b.txt"), Path.Join("sub", ".b.txt.abcdefghij.tmp")),
            new JournalOperation("gone.txt", null));
        journal.Temps.Should().Equal(Path.Join("sub", ".b.txt.abcdefghij.tmp"));
    }

    [Theory]
    [InlineData(1, "replace sub/.b.txt.abcdefghij.tmp sub/b.txt 0123456789ABCDEF0123456789ABCDEF\n")]
    [InlineData(1, "stage sub/.b.txt.abcdefghij.tmp sub/b.txt\n")]
    [InlineData(2, "replace sub/.b.txt.abcdefghij.tmp sub/b.txt\n")]
    [InlineData(2, "replace sub/.b.txt.abcdefghij.tmp sub/b.txt 0123456789abcdef0123456789abcdef\n")]
    [InlineData(2, "replace sub/.b.txt.abcdefghij.tmp sub/b.txt 0123456789ABCDEF0123456789ABCDE\n")]
    [InlineData(2, "replace sub/.b.txt.abcdefghij.tmp sub/b.txt 0123456789ABCDEF0123456789ABCDEG\n")]
    [InlineData(2, "stage sub/.b.txt.abcdefghij.tmp sub/b.txt 0123456789ABCDEF0123456789ABCDEF\n")]
    public void Parse_LineNotOfItsVersion_IsNotCommitted(int version, string line)
    {
        var journal = JournalFormat.Parse(Recovery.JournalFixtures.Sealed(line, version));

        journal.IsCommitted.Should().BeFalse();
        journal.Defect.Should().Contain("line 2");
    }

    [Fact]
    public void Parse_UnsealedJournal_IsNotCommittedButStillNamesItsTemps()
    {
        var journal = JournalFormat.Parse(WriteJournal(seal: false));

        journal.IsCommitted.Should().BeFalse();
        journal.Operations.Should().Equal(new JournalOperation("gone.txt", null));
        journal.Temps.Should().Equal(Path.Join("dir with space", ".new line%0Añ.txt.abcdefghij.tmp"));
    }

    [Fact]
    public void Parse_TruncatedAtEveryByte_IsNeverCommitted()
    {
        var bytes = WriteJournal(seal: true);

        for (var length = 0; length < bytes.Length; length++)
        {
            JournalFormat.Parse(bytes.AsSpan(0, length)).IsCommitted.Should().BeFalse("a journal cut at byte {0} of {1} is incomplete", length, bytes.Length);
        }
    }

    [Fact]
    public void Parse_AnySingleBitFlipped_IsNeverCommitted()
    {
        var bytes = WriteJournal(seal: true);

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var corrupted = (byte[])bytes.Clone();
            corrupted[bit / 8] ^= (byte)(1 << (bit % 8));
            JournalFormat.Parse(corrupted).IsCommitted.Should().BeFalse("bit {0} was flipped", bit);
        }
    }

    [Fact]
    public void Parse_TamperedOperationKeepingTheOldSeal_IsNotCommitted()
    {
        var text = Encoding.UTF8.GetString(WriteJournal(seal: true));

        var tampered = text.Replace("delete gone.txt", "delete keep.txt", StringComparison.Ordinal);

        tampered.Should().NotBe(text);
        JournalFormat.Parse(Encoding.UTF8.GetBytes(tampered)).IsCommitted.Should().BeFalse();
    }

    [Fact]
    public void Parse_TamperedOperationWithAPlausibleButWrongSeal_IsNotCommitted()
    {
        var text = Encoding.UTF8.GetString(WriteJournal(seal: true));
        var body = text[..text.IndexOf("commit ", StringComparison.Ordinal)].Replace("gone.txt", "keep.txt", StringComparison.Ordinal);

        // A well-formed 64-digit SHA-256, of the original body rather than the tampered one.
        var plausible = text[text.IndexOf("commit ", StringComparison.Ordinal)..];
        JournalFormat.Parse(Encoding.UTF8.GetBytes(body + plausible)).IsCommitted.Should().BeFalse();

        // And the hash of the tampered body with one digit changed.
        var wrong = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))).ToCharArray();
        wrong[10] = wrong[10] == 'A' ? 'B' : 'A';
        JournalFormat.Parse(Encoding.UTF8.GetBytes($"{body}commit {new string(wrong)}\n")).IsCommitted.Should().BeFalse();
    }

    [Fact]
    public void Parse_AnythingAfterTheSeal_IsNotCommitted()
    {
        var bytes = WriteJournal(seal: true);

        JournalFormat.Parse([.. bytes, .. "delete extra.txt\n"u8]).IsCommitted.Should().BeFalse();
    }

    private byte[] WriteJournal(bool seal)
    {
        var path = _dir.File("journal");
        using (var writer = JournalWriter.Create(path))
        {
            writer.AppendStage(Path.Join("dir with space", ".new line%0Añ.txt.abcdefghij.tmp"), Path.Join("dir with space", "new line%0Añ.txt"));
            writer.AppendDelete("gone.txt");
            if (seal)
            {
                writer.AppendReplace(Path.Join("dir with space", ".new line%0Añ.txt.abcdefghij.tmp"), Path.Join("dir with space", "new line%0Añ.txt"), Hash);
                writer.Seal();
            }
        }

        return File.ReadAllBytes(path);
    }
}
