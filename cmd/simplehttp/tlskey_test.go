package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"github.com/simplehttp/simplehttp/internal/needs"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openssl runs openssl with args, skipping the test when it is missing.
func openssl(t *testing.T, args ...string) {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		needs.Skip(t, "openssl", false, "openssl is not installed (scripts/test.sh installs it)")
	}
	needs.Ran(t, "openssl")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, args...).CombinedOutput()
	require.NoError(t, err, "openssl %q: %s", args, out)
}

// encryptedKeys writes, with openssl, the test key encrypted in each form
// --tls-password-file reads, and returns their paths by name, with the
// certificate, the password file (its password followed by a newline, as
// an editor saves it) and a pool that trusts the certificate.
func encryptedKeys(t *testing.T) (keys map[string]string, certFile, pwFile string) {
	certFile, keyFile, _ := writeCertificate(t)
	dir := t.TempDir()
	pwFile = filepath.Join(dir, "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte("s3cret pass\n"), 0o600))
	pass := filepath.Join(dir, "pass")
	require.NoError(t, os.WriteFile(pass, []byte("s3cret pass"), 0o600))
	keys = map[string]string{}
	for name, args := range map[string][]string{
		"PKCS#8 AES-256 SHA-256": {"pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256"},
		"PKCS#8 AES-128 SHA-1":   {"pkcs8", "-topk8", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"},
		"PKCS#8 AES-192 SHA-512": {"pkcs8", "-topk8", "-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA512"},
		"legacy AES-256":         {"ec", "-aes256"},
		"legacy DES-EDE3":        {"ec", "-des3"},
		"PKCS#8 scrypt":          {"pkcs8", "-topk8", "-scrypt"},
	} {
		out := filepath.Join(dir, name+".pem")
		openssl(t, append(args, "-in", keyFile, "-out", out, "-passout", "file:"+pass)...)
		keys[name] = out
	}
	return keys, certFile, pwFile
}

// TestLoadEncryptedKey pins --tls-password-file's reading of encrypted
// keys in each form openssl writes, and the errors for a wrong password,
// a missing one, and an encryption the standard library cannot undo.
func TestLoadEncryptedKey(t *testing.T) {
	keys, certFile, pwFile := encryptedKeys(t)
	wrong := filepath.Join(t.TempDir(), "wrong")
	require.NoError(t, os.WriteFile(wrong, []byte("not it"), 0o600))
	for name, key := range keys {
		t.Run(name, func(t *testing.T) {
			_, err := loadCertificate(certFile, key, pwFile)
			if name == "PKCS#8 scrypt" {
				assert.ErrorContains(t, err, "unsupported key derivation 1.3.6.1.4.1.11591.4.11 (only PBKDF2 is read)")
				return
			}
			require.NoError(t, err)
			_, err = loadCertificate(certFile, key, wrong)
			assert.EqualError(t, err, "cannot decrypt the private key in "+key+": incorrect password")
			_, err = loadCertificate(certFile, key, "")
			assert.EqualError(t, err, "the private key in "+key+" is encrypted: give its password with --tls-password-file")
		})
	}
	t.Run("plain key with a password file", func(t *testing.T) {
		certFile, keyFile, _ := writeCertificate(t)
		_, err := loadCertificate(certFile, keyFile, pwFile)
		assert.NoError(t, err)
	})
	t.Run("missing password file", func(t *testing.T) {
		_, err := loadCertificate(certFile, keys["legacy AES-256"], filepath.Join(t.TempDir(), "nope"))
		assert.ErrorContains(t, err, "no such file or directory")
	})
}

// TestTLSPasswordFile pins --tls-password-file over a real connection.
func TestTLSPasswordFile(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "hello"})
	keys, certFile, pwFile := encryptedKeys(t)
	s := startServer(t, []string{"--tls-cert", certFile, "--tls-key", keys["PKCS#8 AES-256 SHA-256"], "--tls-password-file", pwFile, "-b", "127.0.0.1", "-d", dir, "0"}, nil)
	transport := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	defer transport.CloseIdleConnections()
	resp, err := (&http.Client{Transport: transport}).Get(fmt.Sprintf("https://127.0.0.1:%d/a.txt", s.addr.Port))
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "hello", string(body))

	var stdout, stderr bytes.Buffer
	code := run([]string{"--tls-cert", certFile, "--tls-key", keys["legacy AES-256"], "-b", "127.0.0.1", "-d", dir, "0"}, &stdout, &stderr, nil)
	assert.Equal(t, 1, code)
	assert.Equal(t, "simplehttp: cannot load the TLS certificate: the private key in "+keys["legacy AES-256"]+" is encrypted: give its password with --tls-password-file\n", stderr.String())
}
