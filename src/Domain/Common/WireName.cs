using System.Collections.Frozen;

namespace Odock.Domain.Common;

/// <summary>
/// The snake_case names enums carry in configuration files, the database and the APIs (<c>azure_openai</c>,
/// <c>tool_use</c>). One table per enum, built once; parsing is case-insensitive and lists the choices when it fails.
/// </summary>
public static class WireName
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Table<TEnum>.Names.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no wire name for this value.");

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        if (text is not null && Table<TEnum>.Values.TryGetValue(text.Trim(), out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public static TEnum Parse<TEnum>(string? text)
        where TEnum : struct, Enum => TryParse<TEnum>(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not one of: {Choices<TEnum>()}.");

    public static string Choices<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Table<TEnum>.Names.Values.Order(StringComparer.Ordinal));

    /// <summary>PascalCase to snake_case: <c>ToolUse</c> → <c>tool_use</c>. Members whose wire name differs carry <see cref="WireNameAttribute"/>.</summary>
    public static string ToSnakeCase(string pascal)
    {
        ArgumentNullException.ThrowIfNull(pascal);
        var builder = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static class Table<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> Names =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, NameOf);

        public static readonly FrozenDictionary<string, TEnum> Values =
            Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

        private static string NameOf(TEnum value)
        {
            var member = typeof(TEnum).GetField(value.ToString())!;
            return member.GetCustomAttributes(typeof(WireNameAttribute), false) is [WireNameAttribute attribute]
                ? attribute.Name
                : ToSnakeCase(member.Name);
        }
    }
}
