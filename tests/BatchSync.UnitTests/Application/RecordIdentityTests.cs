using System.Text;
using BatchSync.Application.Sync;

namespace BatchSync.UnitTests.Application;

public sealed class RecordIdentityTests
{
    [Theory]
    [InlineData("15", "15.0", "1.5e1", "150e-1", "15.000", "1.5E+1")]
    [InlineData("32.5", "32.50", "3.25e1", "325e-1", "32.500000", "32.5")]
    [InlineData("0", "-0", "0.0", "-0.0", "0e10", "0.000")]
    [InlineData("100", "1e2", "1E2", "100.0", "10e1", "1000e-1")]
    [InlineData("0.1", "0.10", "1e-1", "0.10000000000000001", "0.1000000000000000055511151231257827", "1.0E-1")]
    public void Json_OneValueSpelledSixWays_SameIdentity(string a, string b, string c, string d, string e, string f)
    {
        var forms = new[] { a, b, c, d, e, f }
            .Select(n => Encoding.UTF8.GetString(RecordIdentity.Json(Encoding.UTF8.GetBytes($$"""{"type":"location","accuracy":{{n}},"m":[{{n}}]}"""))))
            .Distinct()
            .ToList();

        Assert.Single(forms);
    }

    [Fact]
    public void Json_IntegersBeyond2To53_KeepEveryDigit()
    {
        var big = RecordIdentity.Hash("""{"id":9007199254740993}"""u8);
        var next = RecordIdentity.Hash("""{"id":9007199254740992}"""u8);
        var huge = Encoding.UTF8.GetString(RecordIdentity.Json("""{"id":123456789012345678901234567890.0}"""u8));

        Assert.NotEqual(big, next);
        Assert.Equal("""{"id":123456789012345678901234567890}""", huge);
    }

    [Fact]
    public void Json_NumbersAlreadyInTheirForm_SameBytes_StringsNeverTouched()
    {
        var canonical = """{"type":"location","timestamp":1694123456789,"latitude":32.0853,"note":"15.0 \"x\" 1e2","n":-7,"f":false,"z":null}"""u8.ToArray();
        var respelled = """{"type":"location","timestamp":1694123456789,"latitude":32.08530,"note":"15.0 \"x\" 1e2","n":-7.0,"f":false,"z":null}"""u8.ToArray();

        Assert.Equal(canonical, RecordIdentity.Json(canonical).ToArray());
        Assert.Equal(canonical, RecordIdentity.Json(respelled).ToArray());
    }

    [Fact]
    public void Json_WithAScratchBuffer_RewritesFromTheFirstNumberOutOfForm_AndGivesBackTheSameBytesOtherwise()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var later = """{"a":1,"b":"2.50","c":[3,4.50],"d":5.0}"""u8.ToArray();
        var first = """{"a":1.0,"b":"x"}"""u8.ToArray();
        var none = """{"a":1,"b":2.5}"""u8.ToArray();

        Assert.Equal("""{"a":1,"b":"2.50","c":[3,4.5],"d":5}""", Encoding.UTF8.GetString(RecordIdentity.Json(later, buffer)));
        Assert.Equal("""{"a":1,"b":"x"}""", Encoding.UTF8.GetString(RecordIdentity.Json(first, buffer)));
        Assert.Equal(none, RecordIdentity.Json(none, buffer).ToArray());
    }

    [Fact]
    public void Hash_DifferentValues_Differ()
    {
        Assert.NotEqual(RecordIdentity.Hash("""{"a":32.5}"""u8), RecordIdentity.Hash("""{"a":32.51}"""u8));
        Assert.NotEqual(RecordIdentity.Hash("""{"a":1}"""u8), RecordIdentity.Hash("""{"a":"1"}"""u8));
    }

    [Theory]
    [InlineData("15")]
    [InlineData("-15")]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("10")]
    [InlineData("32.0853")]
    [InlineData("-34.7818")]
    [InlineData("0.05")]
    [InlineData("15.0")]
    [InlineData("0.1000000000000000055511151231257827")]
    [InlineData("0.00001")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("1000000000000000000000000000000000")]
    [InlineData("1e2")]
    public void Json_QuickCheckOfANumbersForm_AgreesWithTheLongWay(string number)
    {
        var json = Encoding.UTF8.GetBytes($$"""{"n":{{number}}}""");
        var expected = Encoding.UTF8.GetBytes($$"""{"n":{{RecordIdentity.Number(Encoding.UTF8.GetBytes(number))}}}""");

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(RecordIdentity.Json(json)));
    }

    [Fact]
    public void Json_QuickCheckOfANumbersForm_AgreesWithTheLongWay_ForManyDecimals()
    {
        // Decimals of 1 to 18 significant digits at every scale a phone's JSON uses, and past them.
        var random = new Random(12345);
        var disagreements = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var digits = string.Concat(Enumerable.Range(0, random.Next(1, 19)).Select(_ => (char)('0' + random.Next(10))));
            var leadingZeros = random.Next(0, 8);
            var point = random.Next(0, digits.Length + 1);
            var whole = digits[..point].TrimStart('0');
            var number = (random.Next(2) == 0 ? "-" : "") +
                (whole.Length == 0 ? "0." + new string('0', leadingZeros) + digits[point..] : whole + (point < digits.Length ? "." + digits[point..] : ""));
            if (number.EndsWith('.') || number is "-0." or "0." || number.EndsWith("-0", StringComparison.Ordinal))
            {
                continue;
            }

            var json = Encoding.UTF8.GetString(RecordIdentity.Json(Encoding.UTF8.GetBytes($$"""{"n":{{number}}}""")));
            var expected = $$"""{"n":{{RecordIdentity.Number(Encoding.UTF8.GetBytes(number))}}}""";
            if (json != expected)
            {
                disagreements.Add($"{number}: {json} != {expected}");
            }
        }

        Assert.Empty(disagreements);
    }
}
