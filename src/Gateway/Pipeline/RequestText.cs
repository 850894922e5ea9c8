using System.Buffers.Text;
using System.Text.Unicode;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// Checks a request body's text before any endpoint reads it. JSON text is UTF-8 (RFC 8259), and a body that is not
/// gets a 400 in the caller's error shape. Without this check, some parsers answered 500 when they met such a body,
/// and others passed the bytes to the provider. A <c>\u</c> escape of half a UTF-16 surrogate pair is valid JSON
/// syntax but names no character. JavaScript's <c>JSON.stringify</c> writes one for text cut in the middle of an emoji,
/// and providers accept it. It is replaced, in place, by <c>\ufffd</c> (the replacement character), so every reader
/// downstream sees valid text.
/// </summary>
internal static class RequestText
{
    private const int EscapeLength = 6; // \uXXXX

    private static readonly byte[] Replacement = "\\ufffd"u8.ToArray();

    /// <summary>The error to answer, or null once <paramref name="body"/> is valid text (lone surrogate escapes replaced).</summary>
    public static GatewayError? Check(Span<byte> body)
    {
        if (!Utf8.IsValid(body))
        {
            return GatewayError.BadRequest("The request body is not valid UTF-8; JSON text must be.");
        }

        var at = 0;
        while (true)
        {
            var slash = body[at..].IndexOf((byte)'\\');
            if (slash < 0)
            {
                return null;
            }

            at += slash;
            if (at + 1 >= body.Length)
            {
                return null;
            }

            if (body[at + 1] != (byte)'u')
            {
                // Any other escape is two bytes; its second may itself be a backslash (\\), which starts nothing.
                at += 2;
                continue;
            }

            if (!TryReadUnit(body[at..], out var unit))
            {
                // Not four hex digits: the JSON parser reports it.
                return null;
            }

            if (char.IsHighSurrogate(unit) && TryReadUnit(body[(at + EscapeLength)..], out var next) && char.IsLowSurrogate(next))
            {
                at += 2 * EscapeLength;
                continue;
            }

            if (char.IsSurrogate(unit))
            {
                Replacement.CopyTo(body[at..]);
            }

            at += EscapeLength;
        }
    }

    /// <summary>The UTF-16 code unit a <c>\uXXXX</c> escape at the start of <paramref name="text"/> names.</summary>
    private static bool TryReadUnit(ReadOnlySpan<byte> text, out char unit)
    {
        unit = default;
        if (text.Length < EscapeLength || text[0] != (byte)'\\' || text[1] != (byte)'u'
            || !Utf8Parser.TryParse(text.Slice(2, 4), out ushort value, out var consumed, 'X') || consumed != 4)
        {
            return false;
        }

        unit = (char)value;
        return true;
    }
}
