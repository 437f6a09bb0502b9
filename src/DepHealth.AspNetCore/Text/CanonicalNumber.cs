using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.Text;

/// <summary>
/// OpenMetrics' canonical rendering of a number in an <c>le</c> label: Go's shortest <c>%g</c> (exponent below 1e-4 and
/// from 1e+6 on, at least two exponent digits) with <c>.0</c> appended when there is neither a point nor an exponent.
/// </summary>
internal static class CanonicalNumber
{
    public static string Format(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        var sign = double.IsNegative(value) ? "-" : string.Empty;
        if (value == 0)
        {
            return sign + "0.0";
        }

        var (digits, point) = ShortestDigits(Math.Abs(value));
        var exponent = point - 1;
        var text = new StringBuilder(sign, 32);
        if (exponent < -4 || exponent >= 6)
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            text.Append(exponent < 0 ? "e-" : "e+").Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
            return text.ToString();
        }

        if (point <= 0)
        {
            return text.Append("0.").Append('0', -point).Append(digits).ToString();
        }

        if (point >= digits.Length)
        {
            return text.Append(digits).Append('0', point - digits.Length).Append(".0").ToString();
        }

        return text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point).ToString();
    }

    /// <summary>The shortest round-trip significant digits of a positive number and where its decimal point goes.</summary>
    private static (string Digits, int Point) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? text : text[..e];
        var exponent = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var leading = digits.Length - digits.TrimStart('0').Length;
        return (digits.Trim('0'), point - leading);
    }
}
