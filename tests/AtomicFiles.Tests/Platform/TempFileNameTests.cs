using System.Text;
using AtomicFiles.Platform;

namespace AtomicFiles.Tests.Platform;

public sealed class TempFileNameTests
{
    [Fact]
    public void For_ShortName_IsHiddenAndRecognised()
    {
        var name = TempFileName.For("settings.json");

        name.Should().MatchRegex(@"^\.settings\.json\.[a-z0-9]{10}\.tmp$");
        TempFileName.IsTempFileName(name).Should().BeTrue();
    }

    [Fact]
    public void For_TwoCalls_GiveDifferentNames()
    {
        TempFileName.For("a").Should().NotBe(TempFileName.For("a"));
    }

    [Theory]
    [InlineData(255, "a")]
    [InlineData(85, "€")]
    [InlineData(63, "😀")]
    public void For_LongName_FitsNameMaxWithoutSplittingCharacters(int count, string character)
    {
        var name = string.Concat(Enumerable.Repeat(character, count));

        var temp = TempFileName.For(name);

        Encoding.UTF8.GetByteCount(temp).Should().BeLessThanOrEqualTo(255);
        temp.Should().NotContain("\uFFFD");
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(temp)).Should().Be(temp, "no surrogate pair was cut in half");
        TempFileName.IsTempFileName(temp).Should().BeTrue();
    }

    [Theory]
    [InlineData("settings.json")]
    [InlineData(".settings.json")]
    [InlineData(".settings.json.lock")]
    [InlineData(".a.ABCDEFGHIJ.tmp")]
    [InlineData(".a.abcdefghi.tmp")]
    [InlineData("a.abcdefghij.tmp")]
    [InlineData(".abcdefghij.tmp")]
    public void IsTempFileName_OtherNames_AreNotOurs(string name)
    {
        TempFileName.IsTempFileName(name).Should().BeFalse();
    }
}
