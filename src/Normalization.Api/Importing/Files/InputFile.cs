using System.IO.Compression;
using System.Text;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing.Files;

/// <summary>
/// A file to import, opened the way people produce them: gzip recognised by its magic bytes (<c>1f 8b</c>, whatever the
/// name) and read through; a zip archive refused with the fix; the text's encoding from its byte-order mark (UTF-8,
/// UTF-16 LE/BE, UTF-32 LE/BE), else the <c>--encoding</c> the user named, else strict UTF-8 — bytes that are not UTF-8
/// are an error naming the line (<see cref="TextFault"/>), never replaced with U+FFFD.
/// </summary>
public sealed class InputFile : IDisposable
{
    readonly FileStream _file;

    /// <summary>The text, decompressed when the file is gzip.</summary>
    public Stream Stream { get; }

    /// <summary>The encoding the user named (<c>--encoding</c>); null means UTF-8 (or what a byte-order mark says).</summary>
    public Encoding? Encoding { get; }

    /// <summary>Whether the file was gzip.</summary>
    public bool Gzip { get; }

    /// <summary>Bytes of the file on disk read so far, and its size (for progress).</summary>
    public long Position => _file.Position;
    public long Length => _file.Length;

    InputFile(FileStream file, Stream stream, Encoding? encoding, bool gzip)
    {
        _file = file;
        Stream = stream;
        Encoding = encoding;
        Gzip = gzip;
    }

    static InputFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Opens <paramref name="path"/>; <paramref name="encoding"/> is a name such as <c>windows-1252</c>, <c>iso-8859-1</c>, <c>utf-16</c>.</summary>
    /// <exception cref="ImportException">Unknown encoding, or a zip archive.</exception>
    /// <param name="maxDecompressed">For gzip: the most bytes the text may grow to (HTTP bodies); past it reading throws a <see cref="TextFault"/> <c>too_large</c>.</param>
    public static InputFile Open(string path, string? encoding, long? maxDecompressed = null)
    {
        var named = EncodingOf(encoding);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            var n = file.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
            file.Position = 0;
            if (n >= 4 && magic is [0x50, 0x4B, 0x03, 0x04, ..])
                throw new ImportException(IsWorkbook(file) ? WorkbookRefused : "The file is a zip archive: unzip it and import the file inside (gzip, .gz, is read as it is).", "body");
            var gzip = n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            Stream stream = gzip ? new BufferedStream(new LimitedStream(new CheckedGzipStream(file), maxDecompressed ?? long.MaxValue), 1 << 16) : file;
            return new InputFile(file, stream, named, gzip);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Why an Excel workbook is refused, and what to import instead. An XLSX is a zip archive too, but "unzip it" would be
    /// the wrong fix: inside are XML parts, and our XLSX export spreads an event over several sheets (docs/data.md), so no
    /// one sheet saved as CSV holds the events whole.
    /// </summary>
    public const string WorkbookRefused =
        "The file is an Excel workbook (XLSX): the import reads CSV and NDJSON, not workbooks. To copy a negotiation, import its CSV or " +
        "NDJSON export (the XLSX export is for reading); a sheet of your own: save it as \"CSV UTF-8\" in the CSV layout (docs/data.md) and import that.";

    /// <summary>Whether the zip archive <paramref name="file"/> is an Office Open XML workbook (it has an <c>xl/</c> part); the position is left at 0.</summary>
    static bool IsWorkbook(FileStream file)
    {
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            return zip.Entries.Any(e => e.FullName.StartsWith("xl/", StringComparison.OrdinalIgnoreCase));
        }
        catch (InvalidDataException) { return false; } // a damaged archive: still a zip, refused as one
        finally { file.Position = 0; }
    }

    /// <summary>The encoding for a name (null or empty: UTF-8 by default).</summary>
    /// <exception cref="ImportException">The name is not an encoding .NET knows.</exception>
    public static Encoding? EncodingOf(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        try
        {
            var e = Encoding.GetEncoding(name.Trim());
            // Strict: a byte the encoding cannot map is an error, not U+FFFD (single-byte code pages map every byte anyway).
            return Encoding.GetEncoding(e.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            throw new ImportException($"Unknown encoding '{name}': use a name such as utf-8, windows-1252, iso-8859-1, utf-16 or utf-16be.");
        }
    }

    /// <summary>
    /// The text, line by line. Strict: bytes the encoding cannot read throw <see cref="TextFault"/> naming the line
    /// (found by <see cref="Utf8Check.FirstInvalidLine"/> on a second pass, since a reader decodes a block ahead).
    /// </summary>
    public TextReader OpenText() =>
        new StreamReader(Stream, Encoding ?? new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16);

    public void Dispose()
    {
        Stream.Dispose();
        _file.Dispose();
    }
}

/// <summary>A stream read once from start to end (no seeking, no writing): what a decompressing or checking wrapper is.</summary>
abstract class ReadOnlyStream : Stream
{
    /// <summary>The bytes read so far (<see cref="Position"/>).</summary>
    protected abstract long ReadSoFar { get; }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => ReadSoFar; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public abstract override int Read(Span<byte> buffer);
}

/// <summary>A read-only stream that refuses to give more than a number of bytes (decompressed gzip).</summary>
sealed class LimitedStream(Stream inner, long max) : ReadOnlyStream
{
    long _read;
    protected override long ReadSoFar => _read;

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _read += n;
        if (_read > max) throw new TextFault(0, "too_large", $"The gzip file decompresses to more than {max} bytes: import it with the command line.");
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// A gzip file read through, refusing one that is damaged or cut short (<c>invalid_gzip</c>, a <see cref="TextFault"/>),
/// never reading it as a shorter file. .NET's <see cref="GZipStream"/> throws <see cref="InvalidDataException"/> on bad
/// compressed data or a trailer whose CRC-32 or size disagrees, but ends quietly where a file cut short ends (an upload
/// broken off, a copy not finished): its lines so far would be imported as the whole file, or none of them with success.
/// So at the end the gzip trailer's ISIZE (the last 4 bytes: the decompressed size modulo 2^32, RFC 1952) must equal what
/// was read — the file really ends with its member's trailer. A file of several members (<c>cat a.gz b.gz</c>) has its
/// last member's size there: it is refused too, with the fix (decompress and compress it again as one).
/// </summary>
sealed class CheckedGzipStream(FileStream file) : ReadOnlyStream
{
    readonly GZipStream _inner = new(file, CompressionMode.Decompress, leaveOpen: true);
    long _read;
    bool _ended;

    /// <summary>What is refused, and the fix.</summary>
    public const string Damaged =
        "The gzip file is damaged or cut short (it does not end as it began: an upload or a copy broken off?): nothing was stored. " +
        "Send the whole file again; a file of several gzip members (cat a.gz b.gz) must be decompressed and compressed again as one.";

    protected override long ReadSoFar => _read;

    public override int Read(Span<byte> buffer)
    {
        int n;
        try { n = _inner.Read(buffer); }
        catch (InvalidDataException) { throw new TextFault(0, "invalid_gzip", Damaged); }
        _read += n;
        if (n == 0 && buffer.Length > 0 && !_ended)
        {
            _ended = true;
            Span<byte> size = stackalloc byte[4];
            var whole = file.Length >= 18 && RandomAccess.Read(file.SafeFileHandle, size, file.Length - 4) == 4
                && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(size) == (uint)_read;
            if (!whole) throw new TextFault(0, "invalid_gzip", Damaged);
        }
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// A fault of the file as a whole, at a line (encoding, layout): the import stops with this one error and its fix
/// instead of one error per line.
/// </summary>
public sealed class TextFault(int line, string code, string message) : Exception(message)
{
    public LineError Error { get; } = new(line, "", code, message);

    /// <summary>Bytes that are not UTF-8 at <paramref name="line"/>.</summary>
    public static TextFault InvalidUtf8(int line, byte first) => new(line, "invalid_utf8",
        $"Line {line} is not valid UTF-8 (byte 0x{first:X2}): the file is in another encoding — Windows-1252 if Excel saved it as CSV on Windows. " +
        "Name it with --encoding windows-1252 (over HTTP: ?encoding=windows-1252), or save the file as UTF-8 (Excel: \"CSV UTF-8\"). Nothing was replaced or stored.");

    /// <summary>NUL characters: UTF-16 (or UTF-32) text without a byte-order mark read as UTF-8.</summary>
    public static TextFault NulCharacters(int line) => new(line, "nul_characters",
        $"Line {line} holds NUL characters: the file is probably UTF-16 without a byte-order mark. Name it with --encoding utf-16 " +
        "(utf-16be for big-endian; over HTTP: ?encoding=utf-16), or save the file as UTF-8.");
}

/// <summary>Locating the first bytes that are not UTF-8, by line, streaming.</summary>
public static class Utf8Check
{
    /// <summary>The 1-based line and the first byte of the first invalid UTF-8 sequence in <paramref name="stream"/>, or null when it is all valid.</summary>
    public static (int Line, byte Byte)? FirstInvalidLine(Stream stream)
    {
        var buffer = new byte[1 << 16];
        var chars = new char[buffer.Length];
        var line = 1;
        var carry = 0;
        var first = true;
        while (true)
        {
            var read = stream.ReadAtLeast(buffer.AsSpan(carry), buffer.Length - carry, throwOnEndOfStream: false);
            var length = carry + read;
            var final = read == 0 || length < buffer.Length;
            var span = buffer.AsSpan(0, length);
            if (first && span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
            first = false;
            var status = System.Text.Unicode.Utf8.ToUtf16(span, chars, out var consumed, out _, replaceInvalidSequences: false, isFinalBlock: final);
            line += span[..consumed].Count((byte)'\n');
            if (status == System.Buffers.OperationStatus.InvalidData) return (line, span[consumed]);
            if (final) return status == System.Buffers.OperationStatus.NeedMoreData && consumed < span.Length ? (line, span[consumed]) : null;
            // Keep the bytes of a sequence cut at the end of the block for the next one.
            carry = span.Length - consumed;
            span[consumed..].CopyTo(buffer);
        }
    }
}
