using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace BatchSync.Application.Sync;

/// <summary>The one form of a JSON number, and how to tell a number already in it.</summary>
public static partial class RecordIdentity
{
    /// <summary>A JSON number in its one form: integers as all their digits, others as the shortest text of their double.</summary>
    public static string Number(ReadOnlySpan<byte> text)
    {
        var (negative, digits, exponent) = Decimal(text);
        if (digits.Length == 0)
        {
            return "0";
        }

        if (exponent < 0)
        {
            // Not an integer: the double it denotes, written the shortest way that reads back the same.
            var value = double.Parse(Encoding.ASCII.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(value))
            {
                return Plain(negative, digits, exponent);
            }

            (negative, digits, exponent) = Decimal(Encoding.ASCII.GetBytes(value.ToString("R", CultureInfo.InvariantCulture)));
            if (digits.Length == 0)
            {
                return "0";
            }
        }

        return Plain(negative, digits, exponent);
    }

    /// <summary>
    /// Whether a number is already written as <see cref="Number"/> would write it, decided without
    /// allocating for what phones send nearly always: a short integer, or a decimal that is the shortest
    /// text of its double. Anything else is checked the long way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsInItsOneForm(ReadOnlySpan<byte> text)
    {
        var digits = text[0] == '-' ? text[1..] : text;
        if (digits.IndexOfAny((byte)'e', (byte)'E') >= 0 || digits.Length > 30)
        {
            return IsInItsOneFormTheLongWay(text);
        }

        var point = digits.IndexOf((byte)'.');
        if (point < 0)
        {
            // An integer: no leading zero, and no "-0".
            return digits[0] != '0' || (digits.Length == 1 && text.Length == 1);
        }

        if (digits[^1] == '0' || (digits[0] == '0' && point != 1))
        {
            return false;
        }

        // At most 15 significant digits: distinct decimals that short are distinct doubles (DBL_DIG), so
        // none shorter reads back as the same double, and the text is the shortest one already.
        if (SignificantDigits(digits) <= 15)
        {
            return true;
        }

        Span<byte> shortest = stackalloc byte[32];
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value.TryFormat(shortest, out var written, "R", CultureInfo.InvariantCulture)
            && shortest[..written].SequenceEqual(text)
            ? true
            : IsInItsOneFormTheLongWay(text);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SignificantDigits(ReadOnlySpan<byte> plain)
    {
        var count = 0;
        foreach (var c in plain)
        {
            if (c != '.' && (count > 0 || c != '0'))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The one form of a short plain number, written without allocating: trailing zeros of the fraction
    /// dropped (<c>15.0</c> is <c>15</c>, <c>32.50</c> is <c>32.5</c>), when what is left is in its one
    /// form. False for anything else, which takes the long way.
    /// </summary>
    private static bool TryQuickForm(ReadOnlySpan<byte> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length > 30 || text.IndexOfAny((byte)'e', (byte)'E') >= 0)
        {
            return false;
        }

        var trimmed = text;
        if (trimmed.IndexOf((byte)'.') >= 0)
        {
            trimmed = trimmed.TrimEnd((byte)'0');
            if (trimmed[^1] == '.')
            {
                trimmed = trimmed[..^1];
            }
        }

        if (trimmed.SequenceEqual("-0"u8))
        {
            trimmed = "0"u8;
        }

        if (!IsInItsOneForm(trimmed))
        {
            return false;
        }

        trimmed.CopyTo(destination);
        written = trimmed.Length;
        return true;
    }

    private static bool IsInItsOneFormTheLongWay(ReadOnlySpan<byte> text) => text.SequenceEqual(Encoding.ASCII.GetBytes(Number(text)));

    /// <summary>Sign, significant digits (no leading or trailing zeros) and the power of ten they are scaled by.</summary>
    private static (bool Negative, string Digits, long Exponent) Decimal(ReadOnlySpan<byte> text)
    {
        var negative = text.Length > 0 && text[0] == '-';
        var i = negative ? 1 : 0;
        var digits = new StringBuilder();
        long exponent = 0;
        for (; i < text.Length && char.IsAsciiDigit((char)text[i]); i++)
        {
            digits.Append((char)text[i]);
        }

        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && char.IsAsciiDigit((char)text[i]); i++)
            {
                digits.Append((char)text[i]);
                exponent--;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            exponent += long.Parse(Encoding.ASCII.GetString(text[(i + 1)..]), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var significant = digits.ToString().TrimStart('0');
        var trimmed = significant.TrimEnd('0');
        exponent += significant.Length - trimmed.Length;
        return (negative && trimmed.Length > 0, trimmed, exponent);
    }

    /// <summary>Plain decimal text while it stays short, otherwise <c>d.ddde±x</c>.</summary>
    private static string Plain(bool negative, string digits, long exponent)
    {
        var sign = negative ? "-" : "";
        if (exponent >= 0 && exponent <= 32)
        {
            return sign + digits + new string('0', (int)exponent);
        }

        if (exponent < 0 && -exponent <= 32)
        {
            var point = digits.Length + (int)exponent;
            return point > 0
                ? sign + digits[..point] + "." + digits[point..]
                : sign + "0." + new string('0', -point) + digits;
        }

        var scientific = exponent + digits.Length - 1;
        return sign + digits[..1] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + scientific.ToString(CultureInfo.InvariantCulture);
    }
}
