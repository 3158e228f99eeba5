using Microsoft.Extensions.Configuration;

namespace Nio.Shared.Hosting;

/// <summary>
/// The product's documented variable names (<c>PORT</c>, <c>JWT_SECRET</c>, …) mapped onto configuration sections,
/// so every setting is read through the options pattern while users keep the short names.
/// </summary>
public static class EnvironmentAliases
{
    /// <summary>Adds the variables of <paramref name="map"/> (variable name → configuration key) that are set.</summary>
    public static void AddEnvironmentAliases(this IConfigurationManager configuration, IReadOnlyDictionary<string, string> map)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in map)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value))
            {
                values[key] = value;
            }
        }

        configuration.AddInMemoryCollection(values);
    }
}
