using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Odock.Gateway.Providers;

/// <summary>Reading a JSON string's size without making the string, for the characters a stream has delivered.</summary>
internal static class JsonText
{
    /// <summary>
    /// The length of a JSON string as .NET text (UTF-16 code units), counted from its UTF-8 bytes when it has no escapes,
    /// the usual case; an escaped one is unescaped to count it.
    /// </summary>
    public static int Utf16Length(JsonElement text)
    {
        var quoted = JsonMarshal.GetRawUtf8Value(text);
        var value = quoted[1..^1];
        return value.IndexOf((byte)'\\') < 0 ? Encoding.UTF8.GetCharCount(value) : text.GetString()!.Length;
    }
}
