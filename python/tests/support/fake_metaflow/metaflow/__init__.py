"""A stand-in for the ``metaflow`` package, for testing casconf's metaflow adapter where the
real Metaflow is not installed. It offers only what the adapter calls
(ContentAddressedStore.load_blobs over LocalStorage, DataException) and follows the
published read path: sidecar read with json.load on a text file outside any try,
``meta and meta.get("cas_raw")`` -> as stored, no sidecar -> gzip, ``cas_version`` missing ->
DataException, ``getattr(self, "_unpack_v%d" % version, None)``, decoder errors wrapped."""

FAKE = True
