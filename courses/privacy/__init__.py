"""People's rights over their data (RGPD): the privacy notice, objecting to invitations, and
(further slices) access and portability, erasure, retention and the records of staff access."""
