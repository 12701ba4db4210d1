using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AWorld.Core.Evidence;

namespace AWorld.Core.Tests.Shared;

/// <summary>Writes packs and tampers with them the ways an attacker (or a broken copy) could.</summary>
internal static class EvidencePacks
{
    public static async Task<(byte[] Zip, string ManifestSha256)> WriteAsync(IEvidenceSigner signer, int number = 1, string? previous = null)
    {
        var (report, audit) = DrillReports.RegionOutage(number);
        using var output = new MemoryStream();
        var manifest = await EvidencePack.WriteAsync(report, audit, previous, signer, output);
        return (output.ToArray(), manifest);
    }

    public static List<(string Name, byte[] Content)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return (e.FullName, buffer.ToArray());
        })];
    }

    /// <summary>
    /// A new zip of the entries, changed by <paramref name="change"/>, stamped like the original (or with
    /// <paramref name="stamp"/>), so that only the change differs.
    /// </summary>
    public static byte[] Rewrite(byte[] zip, Action<List<(string Name, byte[] Content)>> change, DateTimeOffset? stamp = null)
    {
        DateTimeOffset original;
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        {
            original = archive.Entries[0].LastWriteTime;
        }

        var entries = Entries(zip);
        change(entries);
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name);
                entry.LastWriteTime = stamp ?? original;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    /// <summary>Changes a file, then fixes its hash in the manifest and signs the manifest again with <paramref name="signer"/>.</summary>
    public static async Task<byte[]> ResealAsync(byte[] zip, IEvidenceSigner signer, string file, Func<byte[], byte[]> change)
    {
        var entries = Entries(zip);
        var index = entries.FindIndex(e => e.Name == file);
        var content = change(entries[index].Content);
        entries[index] = (file, content);
        var manifest = JsonNode.Parse(entries.Single(e => e.Name == EvidencePack.Manifest).Content)!;
        var listed = manifest["files"]!.AsArray().Single(f => (string?)f!["path"] == file)!;
        listed["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content));
        listed["bytes"] = content.Length;
        var manifestBytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var signature = await signer.SignAsync(manifestBytes);
        return Rewrite(zip, list =>
        {
            list.Clear();
            foreach (var (name, bytes) in entries)
            {
                list.Add((name, name switch
                {
                    EvidencePack.Manifest => manifestBytes,
                    EvidencePack.ManifestSignature => signature,
                    _ => bytes,
                }));
            }
        });
    }

    public static EvidencePackVerification Verify(byte[] zip, string? trustedKey = null) => EvidencePackVerifier.Verify(new MemoryStream(zip), trustedKey);
}

/// <summary>A fresh directory under the system temp path, removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("aworld-evidence-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
