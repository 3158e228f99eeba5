using System.Globalization;

namespace Nio.Admin.Components.Shared;

/// <summary>Amounts in minor units (cents) shown with their currency code: <c>12.50 USD</c>.</summary>
public static class Amounts
{
    public static string Format(long cents, string currency) =>
        string.Create(CultureInfo.CurrentCulture, $"{cents / 100m:N2} {currency.ToUpperInvariant()}");
}
