using System.Text;

namespace Odock.Admin.Invoices.Pdf;

/// <summary>
/// Writes text as a PDF string literal in WinAnsiEncoding, the encoding the standard fonts use. Bytes outside
/// printable ASCII are written as octal escapes so the file stays 7-bit; characters WinAnsi lacks become '?'.
/// </summary>
internal static class PdfText
{
    /// <summary>Width of one Courier glyph as a fraction of the font size.</summary>
    public const decimal MonospaceAdvance = 0.6m;

    public static void AppendLiteral(StringBuilder content, string text)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(text);
        content.Append('(');
        foreach (var character in text)
        {
            var code = ToWinAnsi(character);
            switch (code)
            {
                case (byte)'(' or (byte)')' or (byte)'\\':
                    content.Append('\\').Append((char)code);
                    break;
                case >= 0x20 and < 0x7F:
                    content.Append((char)code);
                    break;
                default:
                    content.Append('\\').Append(Convert.ToString(code, 8).PadLeft(3, '0'));
                    break;
            }
        }

        content.Append(')');
    }

    private static byte ToWinAnsi(char character) => character switch
    {
        < ' ' => (byte)' ',
        < (char)0x7F => (byte)character,
        >= (char)0xA0 and <= (char)0xFF => (byte)character,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '™' => 0x99,
        _ => (byte)'?',
    };
}
