using System.Security.Cryptography;

namespace Nio.Shared.Hosting;

/// <summary>The instance's private folder (<c>NIO_DATA_DIR</c>); keeps secrets generated at first run.</summary>
public sealed class DataFolder(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Reads a secret kept in the folder, generating and storing a random one (mode 0600) the first time.</summary>
    public string GetOrCreateSecret(string name)
    {
        var directory = System.IO.Path.Combine(Path, "secrets");
        var file = System.IO.Path.Combine(directory, name);
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        Directory.CreateDirectory(directory);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        // Written to a private temporary file and renamed, so a concurrent reader never sees a half-written secret.
        var temporary = file + "." + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(secret);
        }

        try
        {
            File.Move(temporary, file, overwrite: false);
            return secret;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process stored one first: every process must use the same secret.
            File.Delete(temporary);
            return File.ReadAllText(file).Trim();
        }
    }
}
