using System.Data;
using System.Text.Json;
using Dapper;

namespace Nio.Api.Database;

/// <summary>jsonb columns read as text (<c>column::text</c>) and handed out as JSON, so their shape reaches clients unchanged.</summary>
public static class JsonColumns
{
    private static int registered;

    /// <summary>Lets Dapper read and write <see cref="JsonElement"/>; safe to call from every type that needs it.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            SqlMapper.AddTypeHandler(new JsonElementHandler());
        }
    }

    private sealed class JsonElementHandler : SqlMapper.TypeHandler<JsonElement>
    {
        public override JsonElement Parse(object value) => JsonDocument.Parse((string)value).RootElement.Clone();

        public override void SetValue(IDbDataParameter parameter, JsonElement value) => parameter.Value = value.GetRawText();
    }
}
