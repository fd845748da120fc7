using BatchSync.Domain.Sync;

namespace BatchSync.UnitTests.Domain;

public sealed class FieldValueTests
{
    [Fact]
    public void Default_IsNone()
    {
        var values = new FieldValue[3];

        Assert.All(values, v => Assert.False(v.HasValue));
        Assert.Equal(FieldValue.None, values[0]);
        Assert.Null(values[0].AsNumber);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(-180.0)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    public void Of_Number_KeepsItsExactBits(double number)
    {
        var value = FieldValue.Of(number);

        Assert.True(value.HasValue);
        Assert.Equal(BitConverter.DoubleToInt64Bits(number), BitConverter.DoubleToInt64Bits(value.Number));
        Assert.Null(value.Text);
        Assert.NotEqual(FieldValue.None, value);
    }

    [Fact]
    public void Of_NegativeZero_KeptApartFromZero()
    {
        var negative = FieldValue.Of(-0.0);

        Assert.True(double.IsNegative(negative.Number));
        Assert.NotEqual(FieldValue.Of(0.0), negative);
    }

    [Fact]
    public void Of_Text_HasValueAndNoNumber()
    {
        var value = FieldValue.Of("");

        Assert.True(value.HasValue);
        Assert.Equal("", value.Text);
        Assert.Equal(0, value.Number);
        Assert.Equal(FieldValue.Of(""), value);
        Assert.NotEqual(FieldValue.Of("4G"), value);
    }

    [Fact]
    public void Of_NaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => FieldValue.Of(double.NaN));
    }
}
