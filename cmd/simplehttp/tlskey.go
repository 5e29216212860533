package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"os"
	"strings"
)

// loadCertificate loads a PEM certificate chain and its key. Without a key
// file the key is read from the certificate file, as Python's does. With a
// password file the key may be encrypted, as PKCS#8 (PBES2 with PBKDF2
// and AES-CBC, what `openssl genpkey -aes256` writes) or in the legacy
// "Proc-Type: 4,ENCRYPTED" form; the password is the file's content with
// surrounding white space removed, as Python 3.14 reads it.
func loadCertificate(certFile, keyFile, passwordFile string) (tls.Certificate, error) {
	if keyFile == "" {
		keyFile = certFile
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	block := privateKeyBlock(keyPEM)
	//lint:ignore SA1019 the legacy form is deprecated as insecure, but such keys exist and Python reads them
	encrypted := block != nil && (block.Type == "ENCRYPTED PRIVATE KEY" || x509.IsEncryptedPEMBlock(block))
	switch {
	case encrypted && passwordFile == "":
		return tls.Certificate{}, fmt.Errorf("the private key in %s is encrypted: give its password with --tls-password-file", keyFile)
	case encrypted:
		pw, err := os.ReadFile(passwordFile)
		if err != nil {
			return tls.Certificate{}, err
		}
		der, err := decryptKey(block, []byte(strings.TrimSpace(string(pw))))
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("cannot decrypt the private key in %s: %w", keyFile, err)
		}
		keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

// privateKeyBlock returns the first PEM block of data that holds a
// private key, or nil.
func privateKeyBlock(data []byte) *pem.Block {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil
		}
		if strings.HasSuffix(block.Type, "PRIVATE KEY") {
			return block
		}
	}
}

var errPassword = errors.New("incorrect password")

// decryptKey decrypts an encrypted key block and returns the key as
// PKCS#8 DER.
func decryptKey(block *pem.Block, password []byte) ([]byte, error) {
	if block.Type == "ENCRYPTED PRIVATE KEY" {
		der, err := decryptPKCS8(block.Bytes, password)
		if err != nil {
			return nil, err
		}
		if _, err := x509.ParsePKCS8PrivateKey(der); err != nil {
			return nil, errPassword
		}
		return der, nil
	}
	// The legacy form (RFC 1423) is insecure by design, and deprecated
	// for that reason; it is read here only because such keys exist.
	//lint:ignore SA1019 see above
	der, err := x509.DecryptPEMBlock(block, password)
	if err != nil {
		return nil, errPassword
	}
	var key any
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(der)
	default:
		key, err = x509.ParsePKCS8PrivateKey(der)
	}
	if err != nil {
		return nil, errPassword
	}
	return x509.MarshalPKCS8PrivateKey(key)
}

var (
	oidPBES2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACWithSHA1  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	maxPBKDF2Rounds  = 10_000_000 // bounds the work a hostile key file can ask for
	pbkdf2Hashes     = map[string]func() hash.Hash{oidHMACWithSHA1.String(): sha1.New, oidHMACSHA256.String(): sha256.New, oidHMACSHA384.String(): sha512.New384, oidHMACSHA512.String(): sha512.New}
	aesCBCKeyLengths = map[string]int{oidAES128CBC.String(): 16, oidAES192CBC.String(): 24, oidAES256CBC.String(): 32}
)

// The ASN.1 structures of RFC 5958 and RFC 8018.
type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt      []byte
	Rounds    int
	KeyLength int                      `asn1:"optional"`
	PRF       pkix.AlgorithmIdentifier `asn1:"optional"`
}

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo protected with PBES2,
// PBKDF2 (HMAC-SHA1, -SHA256, -SHA384 or -SHA512) and AES-CBC. Other
// schemes (scrypt, PBES1's DES and RC2) are refused with an error that
// names them.
func decryptPKCS8(der, password []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, errors.New("malformed encrypted PKCS#8 key")
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("unsupported key encryption %v (only PBES2 is read)", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, errors.New("malformed PBES2 parameters")
	}
	if !params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("unsupported key derivation %v (only PBKDF2 is read)", params.KeyDerivationFunc.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil {
		return nil, errors.New("malformed PBKDF2 parameters")
	}
	prf := sha1.New
	if len(kdf.PRF.Algorithm) > 0 {
		var ok bool
		if prf, ok = pbkdf2Hashes[kdf.PRF.Algorithm.String()]; !ok {
			return nil, fmt.Errorf("unsupported PBKDF2 hash %v", kdf.PRF.Algorithm)
		}
	}
	keyLen, ok := aesCBCKeyLengths[params.EncryptionScheme.Algorithm.String()]
	if !ok {
		return nil, fmt.Errorf("unsupported cipher %v (only AES-CBC is read)", params.EncryptionScheme.Algorithm)
	}
	if kdf.KeyLength != 0 && kdf.KeyLength != keyLen || kdf.Rounds < 1 || kdf.Rounds > maxPBKDF2Rounds {
		return nil, errors.New("invalid PBKDF2 parameters")
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil || len(iv) != aes.BlockSize {
		return nil, errors.New("malformed AES-CBC parameters")
	}
	if len(info.Data) == 0 || len(info.Data)%aes.BlockSize != 0 {
		return nil, errors.New("malformed encrypted key data")
	}
	key, err := pbkdf2.Key(prf, string(password), kdf.Salt, kdf.Rounds, keyLen)
	if err != nil {
		return nil, err
	}
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(c, iv).CryptBlocks(out, info.Data)
	// PKCS#7 padding; a wrong password almost always breaks it.
	n := int(out[len(out)-1])
	if n == 0 || n > aes.BlockSize || !bytes.Equal(out[len(out)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errPassword
	}
	return out[:len(out)-n], nil
}
